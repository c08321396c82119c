import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import { errorHandler } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { refuseCrossSiteAdminRequests } from "./csrf"

/**
 * Refuses, with `400 invalid_data`, a URL whose path can't be decoded (`%`,
 * `%ZZ`) or hides a NUL character (`%00`): Express would fail to decode the
 * route's ids and the database would refuse the NUL, both as a 500.
 */
export function rejectMalformedPath(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  for (const segment of req.path.split("/")) {
    let decoded: string
    try {
      decoded = decodeURIComponent(segment)
    } catch {
      return next(
        new MedusaError(MedusaError.Types.INVALID_DATA, "Malformed URL: a path segment is not valid percent-encoding", "invalid_data")
      )
    }
    if (decoded.includes("\u0000")) {
      return next(new MedusaError(MedusaError.Types.INVALID_DATA, "Malformed URL: the path contains a NUL character", "invalid_data"))
    }
  }
  next()
}

/** The plugin's paths (relative to the /admin or /store mount). */
const PLUGIN_PATHS = [
  /^\/login-as-customer(?:\/|$)/i,
  /^\/customers\/[^/]*\/login-as-customer(?:\/|$)/i,
  /^\/customers\/me\/remote-assistance(?:\/|$)/i,
]

function onPluginPaths(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  if (!PLUGIN_PATHS.some((pattern) => pattern.test(req.path))) {
    return next()
  }
  return rejectMalformedPath(req, res, next)
}

/**
 * Mounted on /admin and /store with no parameter in the matcher (Express
 * decodes only matched parameters, and Medusa sorts these first): malformed
 * paths, and on /admin cross-site requests riding on a session cookie.
 */
export const safePathMiddlewares: MiddlewareRoute[] = [
  { matcher: "/admin", middlewares: [onPluginPaths, refuseCrossSiteAdminRequests] },
  { matcher: "/store", middlewares: [onPluginPaths] },
]

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
