import type { SessionDTO, SessionEventData } from "../../types"
import { toIso } from "../../lib/dates"
import { sessionEventId, type SessionEventKind } from "../../modules/login-as-customer/utils/log-line"


/**
 * A session event's data. Its `event_id` is derived from the session and the
 * kind of event: a session starts and ends once, so a redelivered event maps
 * to the same log row. Its `occurred_at` is the session's own time of that
 * event, so a line of it dated earlier is no duplicate (insertLogLine).
 */
export function toSessionEvent(
  kind: SessionEventKind,
  session: SessionDTO,
  ended_by?: SessionEventData["ended_by"]
): SessionEventData {
  return {
    event_id: sessionEventId(kind, session.id),
    session_id: session.id,
    user_id: session.user_id,
    customer_id: session.customer_id,
    storefront_id: session.storefront_id ?? null,
    reason: session.reason ?? null,
    mode: session.mode,
    context: (session.context as Record<string, unknown> | null) ?? null,
    started_at: toIso(session.started_at),
    expires_at: toIso(session.expires_at),
    ended_at: toIso(session.ended_at),
    end_reason: session.end_reason ?? null,
    ...(ended_by ? { ended_by } : {}),
    occurred_at: toIso(kind === "ticket_issued" ? session.created_at : kind === "session_started" ? session.started_at : session.ended_at),
  }
}
