import type { MiddlewareRoute } from "@medusajs/framework/http"
import { refuseAmbiguousRequestTarget } from "../utils/request-target"
import { requireLiveImpersonationSession } from "./session-gate"
import { impersonationRouteRules } from "./route-rules"

const SEPARATOR = String.raw`(?:\/|\\|;|%2f|%5c|%3b)`
/**
 * A path aimed at /store or /auth through other separators than one plain `/`
 * (which the entries above serve). It matches the whole path: Express runs a
 * method-less middleware only when what its matcher matched ends at a `/`.
 */
const AIMED_AT_STORE_OR_AUTH = new RegExp(
  String.raw`^(?!\/(?:store|auth)(?:\/|$))${SEPARATOR}+(?:store|auth)(?:${SEPARATOR}.*)?$`,
  "i"
)

/**
 * Global (method-less) entries run before every route's own middlewares, and
 * after Medusa's namespace authentication has read the token or cookie:
 * ambiguous request targets are refused (for every request), then the guard
 * checks the impersonation session. The route rules follow, hung on
 * route-scoped matchers so Express decides which apply.
 */
export const impersonationMiddlewares: MiddlewareRoute[] = [
  { matcher: "/store", middlewares: [refuseAmbiguousRequestTarget, requireLiveImpersonationSession] },
  { matcher: "/auth", middlewares: [refuseAmbiguousRequestTarget, requireLiveImpersonationSession] },
  // Odd forms aimed at /store or /auth that Express doesn't route below them
  // (`/store\carts`, `//store/carts`, `/store;x/carts`, `/store%2Fcarts`) are
  // refused the same way, so a client gets 400 for every such form.
  { matcher: AIMED_AT_STORE_OR_AUTH, middlewares: [refuseAmbiguousRequestTarget] },
  ...impersonationRouteRules,
]
