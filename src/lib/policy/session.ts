import type { EndReason, RemoteAssistanceDTO, SessionDTO, SettingsDTO } from "../types"
import type { ImpersonationClaim } from "./impersonation"

export type SessionCheckInput = {
  /** The session row the token names, or null when there is none. */
  session: Pick<
    SessionDTO,
    "id" | "user_id" | "customer_id" | "started_at" | "expires_at" | "ended_at"
  > | null
  claim: ImpersonationClaim
  /** The customer the token acts as (`actor_id`). */
  actor_id: string | undefined
  /** The token's `exp` (seconds); cookie sessions don't enforce it themselves. */
  token_exp?: number | null
  consent: Pick<RemoteAssistanceDTO, "allowed" | "expires_at"> | null
  settings: Pick<SettingsDTO, "enabled" | "consent_mode">
  admin: { exists: boolean; can_login: boolean }
  now: Date
}

export type SessionCheckResult =
  | { ok: true }
  /** `end_reason` null: refuse without ending (the session is not this token's, or is over). */
  | { ok: false; end_reason: EndReason | null }

const refuse = (end_reason: EndReason | null): SessionCheckResult => ({ ok: false, end_reason })
const passed = (date: Date | string | null | undefined, now: Date) =>
  !!date && new Date(date).getTime() <= now.getTime()

/**
 * Whether a request in an impersonation session may go on. Pure, deny by
 * default: every rule must hold, and the first that fails names the reason
 * the session ends with.
 */
export function checkImpersonationSession({
  session,
  claim,
  actor_id,
  token_exp,
  consent,
  settings,
  admin,
  now,
}: SessionCheckInput): SessionCheckResult {
  if (!session || !claim.session_id || session.id !== claim.session_id) {
    return refuse(null)
  }
  if (session.customer_id !== actor_id || session.user_id !== claim.user_id) {
    return refuse(null)
  }
  if (session.ended_at || !session.started_at) {
    return refuse(null)
  }
  if (token_exp != null && token_exp * 1000 <= now.getTime()) {
    return refuse("expired")
  }
  if (passed(session.expires_at, now)) {
    return refuse("expired")
  }
  if (settings.enabled !== true) {
    return refuse("feature_disabled")
  }
  if (settings.consent_mode !== "not_required") {
    if (!consent || consent.allowed !== true || passed(consent.expires_at, now)) {
      return refuse("consent_withdrawn")
    }
  }
  if (admin.exists !== true || admin.can_login !== true) {
    return refuse("admin_revoked")
  }
  return { ok: true }
}
