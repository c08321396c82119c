import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { logEntriesForEvent } from "../log-entries-for-event"
import { writeLogEntries } from "../write-log-entries"

/** `independent`: the event's lines are of events of their own, each written even when another fails (writeLogEntries). */
export type RecordEventLogStepInput = { eventName: string; data: unknown; independent?: boolean }

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
    const written = await writeLogEntries(container, logEntriesForEvent(input.eventName, input.data), {
      independent: input.independent === true,
    })
    return new StepResponse({ written })
  }
)
