import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { sessionEndsToLogStep } from "../steps/session-ends-to-log"
import { logSessionEnds } from "./end-login-as-customer-sessions"

export const logMissedSessionEndsWorkflowId = "log-missed-login-as-customer-session-ends"

/**
 * Writes the `session_ended` lines the log is missing of sessions whose rows
 * ended (sessionEndsToLog), by the system and `logged_late`, and emits their
 * events; run by the expiry job every minute. Each line that can't be
 * written still fails the workflow (after the others are written), so the
 * job's failure names it until the log takes it.
 */
export const logMissedSessionEndsWorkflow = createWorkflow(logMissedSessionEndsWorkflowId, () => {
  const sessions = sessionEndsToLogStep()
  logSessionEnds(sessions, undefined, true)
  return new WorkflowResponse(sessions)
})
