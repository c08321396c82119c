import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { LoginAsCustomerEvents, LoginDeniedEventData } from "../../../types"
import { recordEventLogStep } from "../../log/steps/record-event-log"

export const recordLoginDeniedWorkflowId = "record-login-as-customer-denied"

/** Emits `login_as_customer.login_denied` for a refused Login as Customer request. */
export const recordLoginDeniedWorkflow = createWorkflow(
  recordLoginDeniedWorkflowId,
  (input: WorkflowData<LoginDeniedEventData>) => {
    recordEventLogStep({ eventName: LoginAsCustomerEvents.LOGIN_DENIED, data: input })
    emitEventStep({ eventName: LoginAsCustomerEvents.LOGIN_DENIED, data: input })
    return new WorkflowResponse(input)
  }
)
