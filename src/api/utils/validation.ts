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

/**
 * How deep arrays and objects may nest in a request. JSON.parse takes any
 * depth; code that walks the value (ours, zod's, a subscriber's) may not.
 */
export const MAX_INPUT_DEPTH = 32

/**
 * A lone surrogate: half of a UTF-16 pair without its other half (JSON can
 * escape one, `"\ud800"`). It is no character, and PostgreSQL refuses it in
 * json; with the `u` flag a complete pair never matches.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u

/** Whether a string holds a lone surrogate (an unpaired UTF-16 code unit). */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value)
}

/**
 * Where a NUL character or a lone surrogate hides in a value (Postgres can
 * store neither in text or json), or where it nests deeper than MAX_INPUT_DEPTH. Walked with a stack of its
 * own, so no input can exhaust the call stack.
 */
function inputIssues(input: unknown): Issue[] {
  const found: Issue[] = []
  const stack: Array<{ value: unknown; path: PropertyKey[]; depth: number }> = [{ value: input, path: [], depth: 0 }]
  while (stack.length && found.length < 10) {
    const { value, path, depth } = stack.pop()!
    if (typeof value === "string") {
      if (value.includes("\u0000")) found.push({ path, message: "must not contain NUL characters" })
      else if (hasLoneSurrogate(value)) found.push({ path, message: "must not contain unpaired UTF-16 surrogates" })
    } else if (value && typeof value === "object") {
      if (depth >= MAX_INPUT_DEPTH) {
        return [{ path: path.slice(0, 1), message: `must not nest arrays or objects deeper than ${MAX_INPUT_DEPTH} levels` }]
      }
      const entries = Object.entries(value)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]
        if (key.includes("\u0000")) {
          found.push({ path, message: "field names must not contain NUL characters" })
        } else if (hasLoneSurrogate(key)) {
          found.push({ path, message: "field names must not contain unpaired UTF-16 surrogates" })
        } else {
          stack.push({ value: item, path: [...path, key], depth: depth + 1 })
        }
      }
    }
  }
  return found.slice(0, 10)
}

function parse(schema: z.ZodType, input: unknown) {
  const issues = inputIssues(input)
  if (issues.length) {
    throw invalidData(issues)
  }
  const result = schema.safeParse(input)
  if (!result.success) {
    throw invalidData(result.error.issues as Issue[])
  }
  return result.data
}

/**
 * The answer to a JSON body that is not an object (`null`, an array, a
 * number, a string): every route of the plugin takes an object, or no body.
 */
export function bodyNotAnObject(): MedusaError {
  return new MedusaError(
    MedusaError.Types.INVALID_DATA,
    "Invalid request: the body must be a JSON object, or empty",
    "invalid_data"
  )
}

/**
 * A body was sent that no parser of Medusa's read (`multipart/form-data`,
 * say): the route would otherwise go on as if it had none (a verification
 * asked for as a form ran as the quick one).
 */
function unreadBody(req: MedusaRequest): boolean {
  const length = Number(req.headers["content-length"] ?? 0)
  const sent = length > 0 || req.headers["transfer-encoding"] !== undefined
  const body = req.body as unknown
  const empty = body === undefined || (typeof body === "object" && body !== null && !Array.isArray(body) && !Object.keys(body).length)
  return sent && empty && !req.is("json")
}

function bodyNotRead(): MedusaError {
  return new MedusaError(
    MedusaError.Types.INVALID_DATA,
    "Invalid request: the body must be JSON (Content-Type: application/json), or empty",
    "invalid_data"
  )
}

/** Validates `req.body` with a zod schema into `req.validatedBody`. */
export function validateBody(schema: z.ZodType) {
  return (req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) => {
    try {
      if (unreadBody(req)) {
        throw bodyNotRead()
      }
      if (req.body !== undefined && (req.body === null || typeof req.body !== "object" || Array.isArray(req.body))) {
        throw bodyNotAnObject()
      }
      req.validatedBody = parse(schema, req.body ?? {})
      next()
    } catch (error) {
      next(error)
    }
  }
}

/**
 * For routes that take no body: refuses one that couldn't be walked safely
 * (nested too deep, NUL characters), as every validated body is refused.
 */
export function refuseUnsafeBody(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  if (unreadBody(req)) {
    return next(bodyNotRead())
  }
  const issues = inputIssues(req.body ?? {})
  next(issues.length ? invalidData(issues) : undefined)
}

/**
 * A query key, or a bracketed part of one, that names a property every object
 * has (`user_id[__proto__]=x`, `constructor`): Medusa's query parser drops
 * such a parameter without a word, so the filter it meant would go unapplied.
 */
function prototypeQueryKey(req: MedusaRequest): string | null {
  const url = req.originalUrl ?? req.url ?? ""
  const query = url.includes("?") ? url.slice(url.indexOf("?") + 1) : ""
  for (const part of query.split("&")) {
    let key = part.split("=")[0].replace(/\+/g, " ")
    try {
      key = decodeURIComponent(key)
    } catch {
      continue
    }
    if (key.split(/[[\]]+/).some((segment) => segment !== "" && segment in Object.prototype)) {
      return key
    }
  }
  return null
}

/** Validates the query string with a zod schema into `req.validatedQuery`. */
export function validateQuery(schema: z.ZodType) {
  return (req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) => {
    try {
      const named = prototypeQueryKey(req)
      if (named !== null) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `Invalid request: the query parameter ${JSON.stringify(named)} names a property every object has`,
          "invalid_data"
        )
      }
      req.validatedQuery = parse(schema, req.query ?? {}) as Record<string, unknown>
      next()
    } catch (error) {
      next(error)
    }
  }
}
