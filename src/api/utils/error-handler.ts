import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { errorHandler } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"

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
  return coreErrorHandler(error as Error, req, res, next)
}
