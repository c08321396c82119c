/**
 * What the plugin's store answers mean to a storefront: a session that is
 * over, why a ticket could not be exchanged, and the refusals only an
 * assisted session gets, each with a sentence to show.
 */

/** The `code` of the plugin's answer (401) to any request of a session that is over. */
export const IMPERSONATION_ENDED = "impersonation_ended"

/** What `onEnded` is told. */
export type ImpersonationEndedEvent = { code: typeof IMPERSONATION_ENDED; message: string }

/** Whether an answer is the plugin's "this Login as Customer session has ended". */
export function isImpersonationEnded(status: number, body: unknown): boolean {
  return (
    status === 401 &&
    !!body &&
    typeof body === "object" &&
    (body as { code?: unknown }).code === IMPERSONATION_ENDED
  )
}

/**
 * Why a ticket could not be exchanged, as a storefront tells the admin:
 * - `missing_ticket`: the link carries no ticket (or not a well-formed one);
 * - `invalid_ticket`: used, expired or unknown (the server can't tell which: `401 invalid_ticket`);
 * - `wrong_storefront`: issued for another storefront (`403 wrong_storefront`; the ticket is burnt);
 * - `not_allowed`: no longer allowed since the admin clicked (consent withdrawn,
 *   feature switched off, permission lost; the server's code is in `reason`);
 * - `rate_limited`: too many failed attempts (`429`; `retry_after` in seconds);
 * - `unavailable`: the store could not be reached or answered something else.
 */
export type TicketErrorCode =
  | "missing_ticket"
  | "invalid_ticket"
  | "wrong_storefront"
  | "not_allowed"
  | "rate_limited"
  | "unavailable"

export type TicketError = {
  code: TicketErrorCode
  /** A sentence for the admin who opened the link. */
  message: string
  /** The server's own code, when it gave one (`invalid_ticket`, `assistance_not_allowed`, …). */
  reason: string | null
  /** Seconds to wait before trying again (`rate_limited` only), else null. */
  retry_after: number | null
}

/** The message shown for each ticket error (`not_allowed` has finer ones by reason). */
export const TICKET_ERROR_MESSAGES: Record<TicketErrorCode, string> = {
  missing_ticket: "This login link is incomplete. Start again from the admin.",
  invalid_ticket: "This login link was already used or has expired. Start again from the admin.",
  wrong_storefront: "This login link was issued for another storefront. Start again from the admin and pick this storefront.",
  not_allowed: "This login is no longer allowed.",
  rate_limited: "Too many login attempts. Wait a moment, then start again from the admin.",
  unavailable: "The store could not be reached. Try the link again in a moment.",
}

const NOT_ALLOWED_MESSAGES: Record<string, string> = {
  assistance_not_allowed: "The customer no longer allows remote shopping assistance.",
  assistance_expired: "The customer's permission for remote shopping assistance has expired.",
  feature_disabled: "Login as Customer is switched off for this store.",
  permission_denied: "You no longer have the permission to log in as customers.",
}

function codeOf(body: unknown): string | null {
  const code = body && typeof body === "object" ? (body as { code?: unknown }).code : undefined
  return typeof code === "string" ? code : null
}

/**
 * Reads the answer to `POST /store/login-as-customer/sessions` that was not a
 * success: its status, its JSON body (or null) and its `Retry-After` header.
 */
export function ticketError(status: number, body: unknown, retryAfter?: string | null): TicketError {
  const reason = codeOf(body)
  const error = (code: TicketErrorCode, message = TICKET_ERROR_MESSAGES[code], retry: number | null = null): TicketError => ({
    code,
    message,
    reason,
    retry_after: retry,
  })
  if (status === 401) return error("invalid_ticket")
  if (status === 429) {
    const seconds = retryAfter && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : null
    return error(
      "rate_limited",
      seconds ? `Too many login attempts. Try again in ${seconds} seconds, from the admin.` : undefined,
      seconds
    )
  }
  if (reason === "wrong_storefront") return error("wrong_storefront")
  if (status === 400 && (reason === "invalid_data" || reason === null || reason === "invalid_request_error")) {
    return error("missing_ticket")
  }
  if (status === 403 || status === 400 || status === 404 || status === 409) {
    return error("not_allowed", (reason && NOT_ALLOWED_MESSAGES[reason]) || TICKET_ERROR_MESSAGES.not_allowed)
  }
  return error("unavailable")
}

/** Refusals that only an assisted session gets, by the server's `code`. */
export type AssistedRefusalCode = "read_only_session" | "restricted_while_impersonating" | typeof IMPERSONATION_ENDED

export const ASSISTED_REFUSAL_MESSAGES: Record<AssistedRefusalCode, string> = {
  read_only_session: "This is a read-only session: nothing can be changed for the customer.",
  restricted_while_impersonating: "Only the customer can change this, not someone logged in on their behalf.",
  impersonation_ended: "The assistance session has ended.",
}

/**
 * The refusal of a request made in an assisted session (`403 read_only_session`,
 * `403 restricted_while_impersonating`, `401 impersonation_ended`) with a
 * sentence to show, or null for any other answer.
 */
export function assistedRefusal(status: number, body: unknown): { code: AssistedRefusalCode; message: string } | null {
  const code = codeOf(body)
  if (status === 403 && (code === "read_only_session" || code === "restricted_while_impersonating")) {
    return { code, message: ASSISTED_REFUSAL_MESSAGES[code] }
  }
  if (isImpersonationEnded(status, body)) {
    return { code: IMPERSONATION_ENDED, message: ASSISTED_REFUSAL_MESSAGES.impersonation_ended }
  }
  return null
}
