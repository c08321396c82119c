import type { MiddlewareRoute } from "@medusajs/framework/http"
import { refuseCrossSiteAdminRequests } from "./csrf"
import { rejectMalformedPluginPath } from "./malformed-path"

/**
 * Mounted on /admin and /store with no parameter in the matcher (Express
 * decodes only matched parameters, and Medusa sorts these first): malformed
 * paths of the plugin's routes, and on /admin cross-site requests riding on
 * a session cookie (csrf.ts).
 */
export const requestCheckMiddlewares: MiddlewareRoute[] = [
  { matcher: "/admin", middlewares: [rejectMalformedPluginPath, refuseCrossSiteAdminRequests] },
  { matcher: "/store", middlewares: [rejectMalformedPluginPath] },
]
