import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError, parseCorsOrigins } from "@medusajs/framework/utils"

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"])
const PLUGIN_ADMIN_PATHS = [/^\/login-as-customer(?:\/|$)/i, /^\/customers\/[^/]*\/login-as-customer(?:\/|$)/i]

function allowedOrigin(req: MedusaRequest, origin: string): boolean {
  const { http } = req.scope.resolve(ContainerRegistrationKeys.CONFIG_MODULE).projectConfig
  const sameOrigin = `${req.protocol}://${req.get("host")}`
  if (origin === sameOrigin) {
    return true
  }
  return parseCorsOrigins(String(http.adminCors ?? "")).some((allowed) =>
    allowed instanceof RegExp ? allowed.test(origin) : allowed.replace(/\/$/, "") === origin
  )
}

/**
 * Refuses state-changing requests to the plugin's admin routes that ride on
 * the admin's session cookie from another site: the browser says so in
 * `Sec-Fetch-Site: cross-site`, or sends an `Origin` that is neither the
 * server's own nor one of `adminCors`. Requests with a bearer token carry no
 * ambient authority and are left to CORS. Medusa's own cookie is
 * `SameSite=Lax` in production only; this holds in every environment.
 */
export function refuseCrossSiteAdminRequests(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  if (SAFE_METHODS.has(req.method.toUpperCase()) || !PLUGIN_ADMIN_PATHS.some((p) => p.test(req.path))) {
    return next()
  }
  if (/^bearer\s/i.test(req.headers.authorization ?? "") || !req.headers.cookie) {
    return next()
  }
  const site = String(req.headers["sec-fetch-site"] ?? "")
  const origin = req.headers.origin
  const crossSite = site === "cross-site" || (typeof origin === "string" && !allowedOrigin(req, origin))
  if (crossSite) {
    return next(
      new MedusaError(
        MedusaError.Types.FORBIDDEN,
        "Cross-site request refused: Login as Customer admin actions must come from the admin itself",
        "cross_site_request"
      )
    )
  }
  next()
}
