import { createWorkflow, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { eraseCustomerFromLogStep } from "../steps/erase-customer-from-log"

export const eraseCustomerFromLogWorkflowId = "erase-customer-from-login-as-customer-log"

export type EraseCustomerFromLogInput = {
  customer_id: string
  /** `user`: an admin asked; `system`: the customer was deleted. */
  actor_type: "user" | "system"
  actor_id: string | null
}

/**
 * Erases a customer's personal data from the log and logs that it did
 * (`personal_data_erased`, with the pseudonym and how many lines, signed
 * with the log's key), in one transaction.
 */
export const eraseCustomerFromLogWorkflow = createWorkflow(
  eraseCustomerFromLogWorkflowId,
  (input: WorkflowData<EraseCustomerFromLogInput>) => {
    const erased = eraseCustomerFromLogStep(input)
    return new WorkflowResponse(erased)
  }
)
