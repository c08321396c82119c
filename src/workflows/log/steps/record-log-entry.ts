import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { RecordLogEntryInput } from "../../../modules/login-as-customer/service"
import { writeLogEntries } from "../write-log-entries"

export const recordLogEntryStepId = "record-login-as-customer-log-entry"

/**
 * Appends one log line, filling in the admin's and the customer's emails as
 * they are now, so the line stays readable after either is deleted.
 */
export const recordLogEntryStep = createStep(
  recordLogEntryStepId,
  async (input: RecordLogEntryInput, { container }) => {
    const written = (await writeLogEntries(container, [input])) > 0
    // The log is append-only: nothing to compensate.
    return new StepResponse({ written })
  }
)
