import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { EventLine } from "../../../modules/login-as-customer/services/log-writer"
import { resolveLogKey } from "../../../modules/login-as-customer/log-integrity/key"
import { sessionEventId } from "../../../modules/login-as-customer/utils/log-line"
import type { SessionDTO } from "../../../types"

export const sessionsAsIssuedStepId = "login-as-customer-sessions-as-issued"

/** The fields of a session its `ticket_issued` line records: the line, not the row, says what they are. */
const ISSUED_FIELDS = ["user_id", "customer_id", "storefront_id", "mode", "reason"] as const

/** The event id of a session's `ticket_issued` line. */
export const ticketIssuedEventId = (sessionId: string) => sessionEventId("ticket_issued", sessionId)

/** `session` with the fields its `ticket_issued` line records. */
export function asIssued(session: SessionDTO, line: EventLine): SessionDTO {
  return { ...session, ...Object.fromEntries(ISSUED_FIELDS.map((field) => [field, line[field]])) }
}

/** The fields in which a session's row says otherwise than its `ticket_issued` line. */
export function differencesFromIssued(session: SessionDTO, line: EventLine): string[] {
  return ISSUED_FIELDS.filter((field) => (line[field] ?? null) !== (session[field] ?? null))
}

/**
 * The sessions with the admin, customer, storefront, reason and mode their
 * `ticket_issued` lines record: a session's row is no evidence (its table is
 * not append-only: whoever can write the database could put another admin,
 * customer, reason or mode on a session, and its end, or an order placed in
 * it, would be logged so). With the log's key, a session whose keyed line
 * the log doesn't hold is left out: the app didn't issue it (a row SQL
 * made, whose end the app logged under its keyed id and whose reason its
 * views showed), and one whose keyed `session_ended` line the log holds is
 * ended as that line says, whatever its row says now (SQL reopened it);
 * without a key such a session is kept as its row says.
 */
export async function sessionsAsIssued(container: MedusaContainer, sessions: SessionDTO[]): Promise<SessionDTO[]> {
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const keyed = !!resolveLogKey(service.getOptions()?.log_key)
  const endId = (sessionId: string) => sessionEventId("session_ended", sessionId)
  const lines = await service.eventLines(
    sessions.flatMap((session) => [ticketIssuedEventId(session.id), ...(keyed && !session.ended_at ? [endId(session.id)] : [])])
  )
  return sessions.flatMap((session) => {
    const line = lines.get(ticketIssuedEventId(session.id))
    if (!line?.user_id || !line.customer_id) {
      return keyed ? [] : [session]
    }
    // With the key, a row open again after the app logged its end (SQL reopened it) is ended, as its line says.
    const ended = lines.get(endId(session.id))
    return [ended ? { ...asIssued(session, line), ...loggedEnd(ended) } : asIssued(session, line)]
  })
}

/** The end a session's `session_ended` line records (its time, else now: the line is there). */
function loggedEnd(line: EventLine): Pick<SessionDTO, "ended_at" | "end_reason"> {
  const at = line.ended_at == null ? NaN : new Date(line.ended_at).getTime()
  return {
    ended_at: Number.isFinite(at) ? new Date(at) : new Date(),
    end_reason: (line.end_reason ?? null) as SessionDTO["end_reason"],
  }
}

/** The ended sessions as issued (sessionsAsIssued), for the lines of their ends. */
export const sessionsAsIssuedStep = createStep(
  sessionsAsIssuedStepId,
  async (sessions: SessionDTO[], { container }) => new StepResponse(await sessionsAsIssued(container, sessions))
)
