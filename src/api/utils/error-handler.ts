import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { errorHandler } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { bodyNotAnObject } from "./validation"

const coreErrorHandler = errorHandler()

/**
 * Medusa's own error handler, except that a URL Express can't decode
 * (`/admin/customers/%ZZ/...`) is answered `400 invalid_data` instead of 500.
 * Express fails on such a path while matching routes, before any middleware
 * of the plugin can look at it. An `errorHandler` in the store's own
 * `src/api/middlewares.ts` replaces this one.
 */
export function malformedUrlErrorHandler(
  error: unknown,
  req: MedusaRequest,
  res: MedusaResponse,
  next: MedusaNextFunction
) {
  if (error instanceof URIError && (error as URIError & { status?: number }).status === 400) {
    return coreErrorHandler(
      new MedusaError(MedusaError.Types.INVALID_DATA, "Malformed URL: a path segment is not valid percent-encoding", "invalid_data"),
      req,
      res,
      next
    )
  }
  if (isNonObjectJsonBody(error)) {
    return coreErrorHandler(bodyNotAnObject(), req, res, next)
  }
  return coreErrorHandler(error as Error, req, res, next)
}

/**
 * Express's JSON parser takes only objects and arrays: `null`, `1`, `true` or
 * `"text"` are refused with the JSON syntax error's words ("Unexpected token
 * 'n', "null" is not valid JSON"), which blame valid JSON. Such a body is
 * answered as the plugin's validation answers an array.
 */
function isNonObjectJsonBody(error: unknown): boolean {
  const parseError = error as { type?: string; body?: unknown; status?: number }
  if (parseError?.type !== "entity.parse.failed" || parseError.status !== 400 || typeof parseError.body !== "string") {
    return false
  }
  try {
    const value = JSON.parse(parseError.body)
    return value === null || typeof value !== "object"
  } catch {
    return false
  }
}
