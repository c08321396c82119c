import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { RecordLogEntryInput } from "../../../modules/login-as-customer/service"
import { logEntriesForEvent } from "../event-log"
import { recordLogEntries } from "../record-log-entries"

export const recordLogEntryStepId = "record-login-as-customer-log-entry"

/**
 * Appends one log line, filling in the admin's and the customer's emails as
 * they are now, so the line stays readable after either is deleted.
 */
export const recordLogEntryStep = createStep(
  recordLogEntryStepId,
  async (input: RecordLogEntryInput, { container }) => {
    const written = (await recordLogEntries(container, [input])) > 0
    // The log is append-only: nothing to compensate.
    return new StepResponse({ written })
  }
)

export type RecordEventLogStepInput = { eventName: string; data: unknown }

export const recordEventLogStepId = "record-login-as-customer-event-log"

/**
 * Writes the log lines of an event the workflow is about to emit, inside the
 * workflow: when the route answers, its lines are in the log, whatever happens
 * to the process or the event bus afterwards. The event keeps its `event_id`,
 * so nothing is logged twice.
 */
export const recordEventLogStep = createStep(
  recordEventLogStepId,
  async (input: RecordEventLogStepInput, { container }) => {
    const written = await recordLogEntries(container, logEntriesForEvent(input.eventName, input.data))
    return new StepResponse({ written })
  }
)
