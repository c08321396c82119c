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

function parse(schema: z.ZodType, input: unknown) {
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
