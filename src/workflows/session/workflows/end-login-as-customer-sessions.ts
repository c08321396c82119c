import {
  createWorkflow,
  transform,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import type { EndSessionsFilter } from "../../../modules/login-as-customer/service"
import { EndReason, LoginAsCustomerEvents, SessionDTO, SessionEventData } from "../../../types"
import { toSessionEvent } from "../events"
import { emitCommittedEventsStep } from "../steps/emit-committed-events"
import { endSessionsStep } from "../steps/end-sessions"
import { sessionsAsIssuedStep } from "../steps/sessions-as-issued"
import type { SessionEndToLog } from "../steps/session-ends-to-log"
import { recordEventLogStep } from "../../log/steps/record-event-log"

export type EndLoginAsCustomerSessionsWorkflowInput = {
  filter: EndSessionsFilter
  reason: EndReason
  /** Who ends them; the system for expiry and automatic ends. */
  ended_by?: SessionEventData["ended_by"]
}

export const endLoginAsCustomerSessionsWorkflowId = "end-login-as-customer-sessions"

/**
 * Ends impersonation sessions with a reason and emits one
 * `login_as_customer.session_ended` per session it ended (a session already
 * over is left alone, so nothing is logged twice). Nothing here is
 * compensated: the events go out at once (emitCommittedEventsStep), even
 * when a workflow running this one as a step fails afterwards.
 */
export const endLoginAsCustomerSessionsWorkflow = createWorkflow(
  endLoginAsCustomerSessionsWorkflowId,
  (input: WorkflowData<EndLoginAsCustomerSessionsWorkflowInput>) => {
    const ended = endSessionsStep({ filter: input.filter, reason: input.reason })
    logSessionEnds(sessionsAsIssuedStep(ended), input)
    return new WorkflowResponse(ended)
  }
)

/**
 * In a workflow's composition: writes the `session_ended` lines of
 * `sessions` (as issued), ended by `by.ended_by` (else the session's own
 * `ended_by`, else the system), and
 * emits their events. `loggedLate`: the lines are written after their ends'
 * own workflows failed to (logMissedSessionEndsWorkflow).
 */
export function logSessionEnds(
  sessions: WorkflowData<SessionEndToLog[]>,
  by: WorkflowData<Pick<EndLoginAsCustomerSessionsWorkflowInput, "ended_by">> | undefined,
  loggedLate = false
) {
  const events = transform({ sessions, by }, ({ sessions, by }) =>
    sessions.map((session) => ({
      ...toSessionEvent("session_ended", session, by?.ended_by ?? session.ended_by ?? { actor_type: "system", actor_id: null }),
      ...(loggedLate ? { logged_late: true } : {}),
    }))
  )
  // One session's line that can't be written doesn't keep the others' out.
  recordEventLogStep({ eventName: LoginAsCustomerEvents.SESSION_ENDED, data: events, independent: true })
  emitCommittedEventsStep({ eventName: LoginAsCustomerEvents.SESSION_ENDED, data: events })
}
