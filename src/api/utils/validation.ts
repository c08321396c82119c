import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import type { z } from "@medusajs/framework/zod"

type Issue = { path: PropertyKey[]; message: string; code?: string; keys?: string[] }

/**
 * One message naming every problem by its field ("storefronts.0.login_url:
 * must be an absolute http(s) URL"), as a 400 with the code `invalid_data`.
 */
function invalidData(issues: Issue[]): MedusaError {
  const problems = issues.map((issue) => {
    const field = issue.path.map(String).join(".")
    const message =
      issue.code === "unrecognized_keys" && issue.keys
        ? `unknown field(s): ${issue.keys.join(", ")}`
        : issue.message
    return field ? `${field}: ${message}` : message
  })
  return new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid request: ${problems.join("; ")}`, "invalid_data")
}

/** Where a NUL character hides in a value (Postgres can't store one in text). */
function nulIssues(value: unknown, path: PropertyKey[] = [], found: Issue[] = []): Issue[] {
  if (found.length >= 10) {
    return found
  }
  if (typeof value === "string") {
    if (value.includes("\u0000")) found.push({ path, message: "must not contain NUL characters" })
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) {
        found.push({ path, message: "field names must not contain NUL characters" })
      } else {
        nulIssues(item, [...path, key], found)
      }
    }
  }
  return found
}

function parse(schema: z.ZodType, input: unknown) {
  const nul = nulIssues(input)
  if (nul.length) {
    throw invalidData(nul)
  }
  const result = schema.safeParse(input)
  if (!result.success) {
    throw invalidData(result.error.issues as Issue[])
  }
  return result.data
}

/** Validates `req.body` with a zod schema into `req.validatedBody`. */
export function validateBody(schema: z.ZodType) {
  return (req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) => {
    try {
      req.validatedBody = parse(schema, req.body ?? {})
      next()
    } catch (error) {
      next(error)
    }
  }
}

/** Validates the query string with a zod schema into `req.validatedQuery`. */
export function validateQuery(schema: z.ZodType) {
  return (req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) => {
    try {
      req.validatedQuery = parse(schema, req.query ?? {}) as Record<string, unknown>
      next()
    } catch (error) {
      next(error)
    }
  }
}
