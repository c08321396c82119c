import type { MedusaContainer } from "@medusajs/framework/types"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"
import type { SessionState } from "../modules/login-as-customer/service"
import { checkImpersonationSession, SessionCheckResult } from "./check-impersonation-session"
import type { ImpersonationClaim } from "./impersonation"
import { getCurrentUserPermissions } from "./permissions"

export type VerifyImpersonationInput = {
  claim: ImpersonationClaim
  actor_id: string | undefined
  token_exp?: number | null
  /** Check a pending session as if it started now (the ticket exchange). */
  starting?: boolean
}

/**
 * Reads a session's state and asks `checkImpersonationSession` whether it may
 * go on, with the admin's permission as it is now (not as the token says).
 */
export async function verifyImpersonation(
  container: MedusaContainer,
  input: VerifyImpersonationInput
): Promise<{ result: SessionCheckResult; state: SessionState | null }> {
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const state = input.claim.session_id ? await service.getSessionState(input.claim.session_id) : null
  const now = new Date()
  const session = state?.session
    ? input.starting && !state.session.started_at
      ? { ...state.session, started_at: now }
      : state.session
    : null
  const admin = state
    ? await getCurrentUserPermissions(container, state.session.user_id, state.settings, state.grant, state.admin_exists)
    : { exists: false, can_login: false }
  const result = checkImpersonationSession({
    session,
    claim: input.claim,
    actor_id: input.actor_id,
    token_exp: input.token_exp,
    consent: state?.consent ?? null,
    settings: state?.settings ?? { enabled: false, consent_mode: "customer_or_admin" },
    admin,
    now,
  })
  return { result, state }
}
