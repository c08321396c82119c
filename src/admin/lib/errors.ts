import type { TFunction } from "i18next"
import { DENIAL_CODES, type DenialCode } from "../../types"

/**
 * Why a login is refused (DENIAL_CODES): their messages are the widget's
 * `loginAsCustomer.reasons.<code>`. `permission_denied` isn't one of them
 * here: the settings and log routes answer it too, so its message is general.
 */
export const REASON_CODES = DENIAL_CODES.filter(
  (code): code is Exclude<DenialCode, "permission_denied"> => code !== "permission_denied"
)

/**
 * Every other `code` the plugin's routes (and Medusa's error handler in front
 * of them) answer with: each has a message under `loginAsCustomer.errors.<code>`
 * in every language. src/admin/__tests__/errors.unit.spec.ts keeps both lists
 * in step with the server.
 */
export const ERROR_CODES = [
  "permission_denied",
  // Admin routes.
  "session_not_found",
  "session_already_ended",
  "user_not_found",
  "order_not_found",
  "invalid_data",
  "cross_site_request",
  "consent_by_customer_only",
  "too_many_requests",
  // Store routes and the session guard.
  "invalid_ticket",
  "wrong_storefront",
  "impersonation_ended",
  "restricted_while_impersonating",
  "read_only_session",
  "not_impersonating",
  "log_unavailable",
  // Log verification, while another session holds the log's tables.
  "log_locked",
  // Medusa's error handler.
  "invalid_state_error",
  "invalid_request_error",
  "api_error",
  "unknown_error",
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** When an answer has no code of ours: by HTTP status, then "unknown". */
export const FALLBACK_MESSAGES = ["unauthorized", "not_found", "network", "unknown"] as const

const REASONS = new Set<string>(REASON_CODES)
const KNOWN = new Set<string>(ERROR_CODES)

type ErrorLike = { code?: unknown; status?: unknown; name?: unknown } | null | undefined

/** The translation key for an error thrown by an admin call. */
export function errorKey(error: unknown): string {
  const { code, status, name } = (error ?? {}) as NonNullable<ErrorLike>
  if (typeof code === "string" && REASONS.has(code)) {
    return `loginAsCustomer.reasons.${code}`
  }
  if (typeof code === "string" && KNOWN.has(code)) {
    return `loginAsCustomer.errors.${code}`
  }
  if (typeof status !== "number") {
    // fetch() rejects with a TypeError when the server can't be reached.
    return `loginAsCustomer.errors.${name === "TypeError" ? "network" : "unknown"}`
  }
  const byStatus: Record<number, string> = {
    400: "invalid_data",
    401: "unauthorized",
    403: "permission_denied",
    404: "not_found",
    409: "invalid_state_error",
    429: "too_many_requests",
  }
  return `loginAsCustomer.errors.${byStatus[status] ?? (status >= 500 ? "api_error" : "unknown")}`
}

/**
 * The message to show for an error, in the admin's language: the server's
 * English `message` is never shown. Use it for every toast and alert.
 */
export function errorMessage(t: TFunction, error: unknown): string {
  return t(errorKey(error))
}
