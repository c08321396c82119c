import type { MedusaRequest } from "@medusajs/framework/http"
import type { ImpersonationClaim } from "../../lib/impersonation-claim"
import type { RouteFacts } from "../../lib/restricted-actions"
import type { SessionState } from "../../modules/login-as-customer/service"

/** The identity a request carries, as Medusa's authentication (or the guard) reads it from a token or cookie. */
export type AuthContext = {
  actor_id?: string
  actor_type?: string
  exp?: number
  act?: { sub?: string }
  app_metadata?: Record<string, unknown>
}

/** A request in a live impersonation session, as the guard and the route rules see it. */
export type Impersonation = {
  session: SessionState["session"]
  settings: SessionState["settings"]
  claim: ImpersonationClaim
  /** When the guard took the request (ISO 8601), on its line: a completion counts only if it came before the cart's. */
  requested_at: string
  /** The path Express routes the request on (the absolute-form's path included). */
  path: string
  /** What the routes the request reaches say about it (see route-rules.ts). */
  facts: RouteFacts
  /** The route of the most specific rule that matched (`/store/carts/:id`): a refused request's log line names it, as an allowed one names Medusa's route. */
  rule_route?: { route: string; prefix: boolean }
  /** Set once the policy has decided the request. */
  decided?: boolean
  /** The note of the cart completion the request runs (startCartCompletion), ended once its line is written. */
  completion_id?: string
  /**
   * A completion of a cart that had become an order when its turn came
   * (completion-lock.ts): Medusa answers it with that order, which it didn't create.
   */
  cart_had_order?: boolean
  /** Set when the request was refused: its answer goes out as it is. */
  refused?: boolean
}

export type GuardedRequest = MedusaRequest & {
  auth_context?: AuthContext
  session?: { auth_context?: AuthContext; destroy?: (cb: (err?: unknown) => void) => void }
  /** Set for requests in a live impersonation session. */
  login_as_customer?: Impersonation
}
