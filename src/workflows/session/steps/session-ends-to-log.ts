import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type { EndedWindow } from "../../../modules/login-as-customer/service"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import { sessionEventId } from "../../../modules/login-as-customer/utils/log-line"
import type { SessionDTO, SessionEventData } from "../../../types"
import { asIssued, ticketIssuedEventId } from "./sessions-as-issued"

export const sessionEndsToLogStepId = "login-as-customer-session-ends-to-log"

/**
 * Where sessionEndsToLog looks: ends of the last day, five minutes old at
 * least. By then the end's own workflow has written its line or failed (a
 * line's write is retried for 20 seconds), so a line written here is never
 * written beside that one.
 */
export const ENDS_TO_LOG_WINDOW: Omit<EndedWindow, "after_id"> = { newer_than_seconds: 24 * 60 * 60, older_than_seconds: 5 * 60 }

const PAGE_SIZE = 500

/**
 * Sessions whose rows ended in `window` while the log holds no line of
 * their end, as issued (their `ticket_issued` line's admin, customer,
 * storefront, reason and mode), `limit` at most. Only sessions the log
 * shows issued count: a row SQL made has no `ticket_issued` line of the
 * app's (with the key, none under its keyed id), and one ended before an
 * upgrade to the key has its lines under plain ids. A revocation (consent
 * withdrawn, the feature switched off, a permission taken) ends its
 * sessions, then writes their lines, and stands when a line couldn't be
 * written (endRevokedSessionsStep): such a session's end is found here.
 * Its end's time and reason are the row's, its time no earlier than the
 * session's start and newest line (notEndedBeforeLogged); ended by consent
 * withdrawn, who withdrew it is the log's (withdrawnBy).
 */
export async function sessionEndsToLog(
  container: MedusaContainer,
  window: Omit<EndedWindow, "after_id"> = ENDS_TO_LOG_WINDOW,
  limit = 1000
): Promise<SessionEndToLog[]> {
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const missing: SessionDTO[] = []
  let afterId: string | null = null
  while (missing.length < limit) {
    const page = await service.listSessionsEndedBetween({ ...window, after_id: afterId }, PAGE_SIZE)
    const lines = await service.eventLines(
      page.flatMap((session) => [sessionEventId("session_ended", session.id), ticketIssuedEventId(session.id)])
    )
    for (const session of page) {
      const issued = lines.get(ticketIssuedEventId(session.id))
      if (issued?.user_id && issued.customer_id && !lines.has(sessionEventId("session_ended", session.id))) {
        missing.push(asIssued(session, issued))
      }
    }
    if (page.length < PAGE_SIZE) {
      break
    }
    afterId = page[page.length - 1].id
  }
  return await withdrawnBy(service, await notEndedBeforeLogged(service, missing.slice(0, limit)))
}

/** A session whose end sessionEndsToLog found, with who ended it when the log tells (withdrawnBy). */
export type SessionEndToLog = SessionDTO & { ended_by?: SessionEventData["ended_by"] }

/**
 * The sessions, each ended by consent withdrawn with who withdrew it: the
 * customer's first withdrawal the log holds of the app's own
 * (consentWithdrawals) dated from the session's start to a minute after its
 * end (that withdrawal's line is written before the sessions end). None
 * found, its consent's end date passed: the system ended it.
 */
async function withdrawnBy(service: LoginAsCustomerModuleService, sessions: SessionDTO[]): Promise<SessionEndToLog[]> {
  const span = (session: SessionDTO) => ({
    from: new Date((session.started_at ?? session.created_at) as Date | string),
    to: new Date(new Date(session.ended_at as Date | string).getTime() + 60_000),
  })
  const withdrawn = sessions.filter((session) => session.end_reason === "consent_withdrawn" && Number.isFinite(span(session).from.getTime()))
  if (!withdrawn.length) {
    return sessions
  }
  const spans = withdrawn.map(span)
  const lines = await service.consentWithdrawals(
    [...new Set(withdrawn.map((session) => session.customer_id))],
    new Date(Math.min(...spans.map((s) => s.from.getTime()))),
    new Date(Math.max(...spans.map((s) => s.to.getTime())))
  )
  return sessions.map((session) => {
    if (!withdrawn.includes(session)) {
      return session
    }
    const { from, to } = span(session)
    const line = lines.find((line) => line.customer_id === session.customer_id && line.created_at >= from && line.created_at <= to)
    return line ? { ...session, ended_by: { actor_type: line.actor_type, actor_id: line.actor_id } } : session
  })
}

/**
 * The sessions with their ends dated no earlier than their start and their
 * newest line of the app's own: the end time is the row's, and a row's end
 * dated back by SQL would have the line say the session ended before what
 * it did.
 */
async function notEndedBeforeLogged(service: LoginAsCustomerModuleService, sessions: SessionDTO[]): Promise<SessionDTO[]> {
  const lastLineAt = await service.newestOwnLogLines(sessions.map((session) => session.id))
  return sessions.map((session) => {
    // A time SQL set to infinity (or no date) doesn't count.
    const times = [session.ended_at, session.started_at, lastLineAt.get(session.id)]
      .map((time) => (time == null ? NaN : new Date(time as Date | string).getTime()))
      .filter(Number.isFinite)
    return times.length ? { ...session, ended_at: new Date(Math.max(...times)) } : session
  })
}

/** The sessions whose ends the log is missing (sessionEndsToLog). */
export const sessionEndsToLogStep = createStep(
  sessionEndsToLogStepId,
  async (_: undefined, { container }) => new StepResponse(await sessionEndsToLog(container))
)
