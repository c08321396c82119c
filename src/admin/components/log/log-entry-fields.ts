import type { TFunction } from "i18next"
import { endReasonText } from "../login-as-customer-text"
import type { LogEntry } from "../../lib/types"

/** The reason an admin gave, kept in the details of session and denial lines. */
export function entryReason(entry: LogEntry): string | null {
  const reason = entry.details?.reason
  return typeof reason === "string" && reason.trim() ? reason : null
}

/** How a session ended (`end_reason` of a `session_ended` line), e.g. `admin_logout`. */
export function entryEndReason(entry: LogEntry): string | null {
  const reason = entry.action === "session_ended" ? entry.details?.end_reason : null
  return typeof reason === "string" && reason ? reason : null
}

/** The line's action in words; a session's end says how it ended ("Session ended: the admin logged out"). */
export function entryActionText(t: TFunction, entry: LogEntry): string {
  const action = t(`loginAsCustomer.log.actions.${entry.action}`, { defaultValue: entry.action })
  const endReason = entryEndReason(entry)
  return endReason ? `${action}: ${endReasonText(t, endReason)}` : action
}

/** The session's mode (`full` or `read_only`), where the line records one. */
export function entryMode(entry: LogEntry): "full" | "read_only" | null {
  const mode = entry.details?.mode
  return mode === "full" || mode === "read_only" ? mode : null
}
