import type { RemoteAssistanceDTO, SessionDTO } from "../../types"
import { hasPassed } from "./decision"

/** Whether a customer's consent counts at `now`: given, and its end date (if any) not come. */
export function isConsentActive(
  consent: Pick<RemoteAssistanceDTO, "allowed" | "expires_at"> | null | undefined,
  now: Date
): boolean {
  return consent?.allowed === true && !hasPassed(consent.expires_at, now)
}

export type SessionStatus = "pending" | "active" | "ended" | "expired"

type SessionTimes = Pick<SessionDTO, "started_at" | "expires_at" | "ended_at">

/**
 * Where a session stands at `now`: ended (by someone), expired (its time ran
 * out, whether or not anything marked it ended), active (started by the
 * storefront), or pending (its ticket not yet exchanged).
 */
export function sessionStatus(session: SessionTimes, now: Date): SessionStatus {
  if (session.ended_at) return "ended"
  if (hasPassed(session.expires_at, now)) return "expired"
  return session.started_at ? "active" : "pending"
}

/** Whether a session is in progress at `now` (pending or active): the filter the session lists use. */
export function isSessionOpen(session: SessionTimes, now: Date): boolean {
  return !session.ended_at && !hasPassed(session.expires_at, now)
}

/** The same as `isSessionOpen`, as a filter for Medusa's list methods. */
export const openSessionFilter = (now: Date) => ({ ended_at: null, expires_at: { $gt: now } })

/** The sessions that are not open at `now`, as a filter for Medusa's list methods. */
export const closedSessionFilter = (now: Date) => ({ $or: [{ ended_at: { $ne: null } }, { expires_at: { $lte: now } }] })
