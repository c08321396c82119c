import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { emptyRouteFacts } from "../../lib/restricted-actions"
import { ImpersonationClaim, readImpersonationClaim } from "../../lib/impersonation-claim"
import { decideSessionRequest } from "../../lib/session-facts"
import type { SessionState } from "../../modules/login-as-customer/service"
import { endLoginAsCustomerSessionsWorkflow } from "../../workflows/session/workflows/end-login-as-customer-sessions"
import { routedPath } from "../utils/request-target"
import { impersonationIdentities } from "./credentials"
import type { AuthContext, GuardedRequest } from "./types"

/**
 * The session an identity names, when `canContinueSession` lets it go on;
 * otherwise null, and the session ended with the policy's reason (if any).
 */
async function liveSession(
  request: GuardedRequest,
  claim: ImpersonationClaim,
  authContext: AuthContext | undefined
): Promise<SessionState | null> {
  const { decision, state } = await decideSessionRequest(request.scope, {
    claim,
    actor_id: authContext?.actor_type === "customer" ? authContext.actor_id : undefined,
    token_exp: authContext?.exp ?? null,
  })
  if (decision.allowed && state) {
    return state
  }
  if (!decision.allowed && decision.end_reason && state) {
    await endLoginAsCustomerSessionsWorkflow(request.scope).run({
      input: { filter: { id: state.session.id }, reason: decision.end_reason },
    })
  }
  return null
}

/**
 * Mounted on /store and /auth: a request made with an impersonation
 * credential (bearer or cookie; on /auth, either) goes on only in a live
 * session (`canContinueSession`), or gets 401 `impersonation_ended` (the
 * session ended with its reason, an impersonating cookie session
 * destroyed). What it may then do is decided on the routes Express runs for
 * it (route-rules.ts). Requests without an impersonation claim pass straight on.
 */
export async function requireLiveImpersonationSession(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const request = req as GuardedRequest
  const identities = impersonationIdentities(request)
  if (!identities.length) {
    return next()
  }
  let state: SessionState | null = null
  for (const { claim, context } of identities) {
    const live = await liveSession(request, claim, context)
    if (!live) {
      if (request.session?.auth_context && request.session.destroy && readImpersonationClaim(request.session.auth_context)) {
        await new Promise((resolve) => request.session!.destroy!(resolve))
      }
      return res
        .status(401)
        .json({ type: "unauthorized", code: "impersonation_ended", message: "This Login as Customer session has ended" })
    }
    state = state ?? live
  }
  request.login_as_customer = {
    session: state!.session,
    settings: state!.settings,
    claim: identities[0].claim,
    requested_at: new Date().toISOString(),
    path: routedPath(req.originalUrl),
    facts: emptyRouteFacts(),
  }
  if (state!.settings.disable_page_cache) {
    res.setHeader("Cache-Control", "no-store, private")
  }
  next()
}
