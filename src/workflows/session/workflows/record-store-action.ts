import { createWorkflow, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { LoginAsCustomerEvents, StoreActionEventData } from "../../../types"
import { recordEventLogStep } from "../../log/steps/record-event-log"

export const recordStoreActionWorkflowId = "record-login-as-customer-store-action"

/**
 * Writes a store action's log line (the same log step as every other
 * event). The caller emits `login_as_customer.store_action` once the line
 * is written: the action already happened, so a failed emit must not turn
 * its answer into an error.
 */
export const recordStoreActionWorkflow = createWorkflow(
  recordStoreActionWorkflowId,
  (input: WorkflowData<StoreActionEventData>) => {
    recordEventLogStep({ eventName: LoginAsCustomerEvents.STORE_ACTION, data: input })
    return new WorkflowResponse(input)
  }
)
