import type { DenialCode, EndReason, RemoteAssistanceDTO, SessionDTO, SettingsDTO, StorefrontDTO } from "../../types"
import { type ImpersonationClaim, reasonDigest } from "../impersonation-claim"
import { hasPassed } from "./decision"
import { isConsentActive } from "./states"

type SessionRow = Pick<SessionDTO, "id" | "user_id" | "customer_id" | "started_at" | "expires_at" | "ended_at"> & {
  mode?: SessionDTO["mode"]
  reason?: SessionDTO["reason"]
}

/** What a session's standing rules read: the same at the ticket exchange and on every request after. */
export type SessionStanding = {
  consent: Pick<RemoteAssistanceDTO, "allowed" | "expires_at"> | null
  settings: Pick<SettingsDTO, "enabled" | "consent_mode">
  /** The acting admin as they are now (not as the token says). */
  admin: { exists: boolean; can_login: boolean }
  now: Date
}

/**
 * Why an open session may not go on, or null when it may: its time ran out,
 * the feature is off, the consent it needs is gone, or the admin lost the
 * permission. The first that holds names the reason the session ends with.
 */
export function sessionEndReason(
  session: Pick<SessionDTO, "expires_at">,
  { consent, settings, admin, now }: SessionStanding
): EndReason | null {
  if (hasPassed(session.expires_at, now)) {
    return "expired"
  }
  if (settings.enabled !== true) {
    return "feature_disabled"
  }
  if (settings.consent_mode !== "not_required" && !isConsentActive(consent, now)) {
    return "consent_withdrawn"
  }
  if (admin.exists !== true || admin.can_login !== true) {
    return "admin_revoked"
  }
  return null
}

export type ContinueSessionInput = SessionStanding & {
  /** The session row the token names, or null when there is none. */
  session: SessionRow | null
  claim: ImpersonationClaim
  /** The customer the token acts as (`actor_id`). */
  actor_id: string | undefined
  /** The token's `exp` (seconds); cookie sessions don't enforce it themselves. */
  token_exp?: number | null
  /** Whether the log holds the session's own `session_ended` line: a row put back open after it is still over. */
  end_logged?: boolean
}

/** A refused session request: 401 `impersonation_ended`, and the session ended with `end_reason` unless it is null. */
export type SessionRefusal = { allowed: false; code: "impersonation_ended"; end_reason: EndReason | null }

const ended = (end_reason: EndReason | null): SessionRefusal => ({ allowed: false, code: "impersonation_ended", end_reason })

/**
 * Whether a request in an impersonation session may go on. Pure, deny by
 * default: the token must name this started, open session of this customer
 * and admin, be unexpired, and the session's standing rules must hold.
 * `end_reason` null: refuse without ending (the session is not this token's, or is over).
 */
export function canContinueSession(input: ContinueSessionInput): { allowed: true } | SessionRefusal {
  const { session, claim, actor_id, token_exp, now } = input
  if (!session || !claim.session_id || session.id !== claim.session_id) {
    return ended(null)
  }
  if (session.customer_id !== actor_id || session.user_id !== claim.user_id) {
    return ended(null)
  }
  // The mode the exchange signed into the token: a row made full since is no longer this token's session.
  if (claim.mode !== undefined && session.mode !== claim.mode) {
    return ended(null)
  }
  // Likewise its reason, which each store action's line records: a reason
  // the row says otherwise is not the one the session was started with. An
  // erased reason (null) is let through; those lines then record none.
  if (claim.reason_digest !== undefined && session.reason != null && reasonDigest(session.reason) !== claim.reason_digest) {
    return ended(null)
  }
  if (session.ended_at || !session.started_at || input.end_logged === true) {
    return ended(null)
  }
  if (token_exp != null && token_exp * 1000 <= now.getTime()) {
    return ended("expired")
  }
  const reason = sessionEndReason(session, input)
  return reason ? ended(reason) : { allowed: true }
}

export type ExchangeCode = "invalid_ticket" | "wrong_storefront" | Extract<DenialCode, "assistance_not_allowed" | "feature_disabled" | "permission_denied">

/** A refused exchange: the ticket is burnt when `burn`, the session ended with `end_reason` unless it is null. */
export type ExchangeRefusal = { allowed: false; code: ExchangeCode; end_reason: EndReason | null; burn: boolean }

export type ExchangeTicketInput = SessionStanding & {
  /** The unconsumed, unexpired ticket presented, or null when there is none. */
  ticket: { session_id: string; user_id: string; customer_id: string } | null
  session: (SessionRow & Pick<SessionDTO, "storefront_id" | "end_reason">) | null
  storefronts: Pick<StorefrontDTO, "id" | "sales_channel_id">[]
  /** The sales channels of the publishable key the storefront sent (null: none sent). */
  sales_channel_ids: string[] | null | undefined
}

/** The denial a storefront sees for a session that ended (or ends now) with a reason. */
const CODE_FOR_END_REASON: Partial<Record<EndReason, ExchangeCode>> = {
  consent_withdrawn: "assistance_not_allowed",
  feature_disabled: "feature_disabled",
  admin_revoked: "permission_denied",
}

const refuseExchange = (code: ExchangeCode, end_reason: EndReason | null = null, burn = true): ExchangeRefusal => ({
  allowed: false,
  code,
  end_reason,
  burn,
})

/**
 * Whether a storefront may trade a ticket for a session token. Pure, deny by
 * default: the ticket names its pending session, the session's standing
 * rules still hold (consent may have been withdrawn since the admin
 * clicked), and the storefront is the one the ticket was issued for (a
 * ticket elsewhere has left the place it was sent to). A refused ticket is
 * burnt; a session that may no longer start is ended with its reason.
 */
export function canExchangeTicket(input: ExchangeTicketInput): { allowed: true } | ExchangeRefusal {
  const { ticket, session, storefronts, sales_channel_ids } = input
  if (!ticket) {
    return refuseExchange("invalid_ticket", null, false)
  }
  if (!session || session.id !== ticket.session_id) {
    return refuseExchange("invalid_ticket")
  }
  if (session.customer_id !== ticket.customer_id || session.user_id !== ticket.user_id) {
    return refuseExchange("invalid_ticket")
  }
  if (session.ended_at) {
    // Already ended (e.g. consent withdrawn since the admin clicked): say why.
    return refuseExchange((session.end_reason && CODE_FOR_END_REASON[session.end_reason]) || "invalid_ticket")
  }
  if (session.started_at) {
    return refuseExchange("invalid_ticket")
  }
  const reason = sessionEndReason(session, input)
  if (reason) {
    return refuseExchange(CODE_FOR_END_REASON[reason] ?? "invalid_ticket", reason)
  }
  const storefront = storefronts.find((s) => s.id === session.storefront_id)
  if (storefront?.sales_channel_id && sales_channel_ids && !sales_channel_ids.includes(storefront.sales_channel_id)) {
    return refuseExchange("wrong_storefront")
  }
  return { allowed: true }
}
