import type { MedusaContainer } from "@medusajs/framework/types"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"
import type { SessionState } from "../modules/login-as-customer/service"
import { getCurrentUserPermissions } from "./admin-permissions"
import type { ImpersonationClaim } from "./impersonation-claim"
import { canContinueSession, ContinueSessionInput, SessionStanding } from "./policy"

/** A session's row, settings and consent, and its admin as they are now: what the session policies read. */
export type SessionFacts = { state: SessionState | null; standing: SessionStanding }

/**
 * Reads what the session policies (`canContinueSession`, `canExchangeTicket`)
 * decide on, with the admin's permission as it is now (not as a token says).
 */
export async function readSessionFacts(container: MedusaContainer, sessionId: string | null | undefined): Promise<SessionFacts> {
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const state = sessionId ? await service.getSessionState(sessionId) : null
  const admin = state
    ? await getCurrentUserPermissions(container, state.session.user_id, state.settings, state.grant)
    : { exists: false, can_login: false }
  return {
    state,
    standing: {
      consent: state?.consent ?? null,
      settings: state?.settings ?? { enabled: false, consent_mode: "customer_or_admin" },
      admin,
      now: new Date(),
    },
  }
}

/** Reads a session's facts and asks `canContinueSession` whether a request with this claim may go on. */
export async function decideSessionRequest(
  container: MedusaContainer,
  request: Pick<ContinueSessionInput, "claim" | "actor_id" | "token_exp">
) {
  const { state, standing } = await readSessionFacts(container, request.claim.session_id)
  return {
    decision: canContinueSession({ ...standing, ...request, session: state?.session ?? null, end_logged: state?.end_logged === true }),
    state,
  }
}
