import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"

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

export function rejectMalformedPluginPath(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  if (!PLUGIN_PATHS.some((pattern) => pattern.test(req.path))) {
    return next()
  }
  return rejectMalformedPath(req, res, next)
}
