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
 * views showed); without a key such a session is kept as its row says.
 */
export async function sessionsAsIssued(container: MedusaContainer, sessions: SessionDTO[]): Promise<SessionDTO[]> {
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const lines = await service.eventLines(sessions.map((session) => ticketIssuedEventId(session.id)))
  const keyed = !!resolveLogKey(service.getOptions()?.log_key)
  return sessions.flatMap((session) => {
    const line = lines.get(ticketIssuedEventId(session.id))
    return line?.user_id && line.customer_id ? [asIssued(session, line)] : keyed ? [] : [session]
  })
}

/** The ended sessions as issued (sessionsAsIssued), for the lines of their ends. */
export const sessionsAsIssuedStep = createStep(
  sessionsAsIssuedStepId,
  async (sessions: SessionDTO[], { container }) => new StepResponse(await sessionsAsIssued(container, sessions))
)
