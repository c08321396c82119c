import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type { EndedWindow } from "../../../modules/login-as-customer/service"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import { sessionEventId } from "../../../modules/login-as-customer/utils/log-line"
import type { SessionDTO } from "../../../types"
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
 * session's start and newest line (notEndedBeforeLogged).
 */
export async function sessionEndsToLog(
  container: MedusaContainer,
  window: Omit<EndedWindow, "after_id"> = ENDS_TO_LOG_WINDOW,
  limit = 1000
): Promise<SessionDTO[]> {
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
  return await notEndedBeforeLogged(service, missing.slice(0, limit))
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
