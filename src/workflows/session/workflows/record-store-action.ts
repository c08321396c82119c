import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { LoginAsCustomerEvents, StoreActionEventData } from "../../../types"
import { recordEventLogStep } from "../../log/steps/record-event-log"

export const recordStoreActionWorkflowId = "record-login-as-customer-store-action"

/**
 * Writes a store action's log line (the same log step as every other
 * event), then emits `login_as_customer.store_action`.
 */
export const recordStoreActionWorkflow = createWorkflow(
  recordStoreActionWorkflowId,
  (input: WorkflowData<StoreActionEventData>) => {
    recordEventLogStep({ eventName: LoginAsCustomerEvents.STORE_ACTION, data: input })
    emitEventStep({ eventName: LoginAsCustomerEvents.STORE_ACTION, data: input })
    return new WorkflowResponse(input)
  }
)
