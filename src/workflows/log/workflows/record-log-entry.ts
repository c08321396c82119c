import {
  createWorkflow,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import type { RecordLogEntryInput } from "../../../modules/login-as-customer/service"
import { recordLogEntryStep } from "../steps/record-log-entry"

export const recordLogEntryWorkflowId = "record-login-as-customer-log-entry"

/** Appends a line to the Login as Customer log, once per event. */
export const recordLogEntryWorkflow = createWorkflow(
  recordLogEntryWorkflowId,
  (input: WorkflowData<RecordLogEntryInput>) => {
    const result = recordLogEntryStep(input)
    return new WorkflowResponse(result)
  }
)
