import type { MiddlewareRoute } from "@medusajs/framework/http"
import { impersonationGuard } from "./guard"

/**
 * Global (method-less) entries run before every route's own middlewares, and
 * after Medusa's namespace authentication has read the token or cookie.
 */
export const impersonationMiddlewares: MiddlewareRoute[] = [
  { matcher: "/store", middlewares: [impersonationGuard] },
  { matcher: "/auth", middlewares: [impersonationGuard] },
]
