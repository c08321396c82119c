import { createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { RecordLogEntryInput } from "../../../modules/login-as-customer/service"
import { eraseCustomerFromLogStep } from "../steps/erase-customer-from-log"
import { recordLogEntryStep } from "../steps/record-log-entry"

export const eraseCustomerFromLogWorkflowId = "erase-customer-from-login-as-customer-log"

export type EraseCustomerFromLogInput = {
  customer_id: string
  /** `user`: an admin asked; `system`: the customer was deleted. */
  actor_type: "user" | "system"
  actor_id: string | null
}

/**
 * Erases a customer's personal data from the log, then logs that it did
 * (`personal_data_erased`, with the pseudonym and how many lines).
 */
export const eraseCustomerFromLogWorkflow = createWorkflow(
  eraseCustomerFromLogWorkflowId,
  (input: WorkflowData<EraseCustomerFromLogInput>) => {
    const erased = eraseCustomerFromLogStep({ customer_id: input.customer_id })
    const line = transform({ input, erased }, ({ input, erased }): RecordLogEntryInput => ({
      action: "personal_data_erased",
      actor_type: input.actor_type,
      actor_id: input.actor_id,
      user_id: input.actor_type === "user" ? input.actor_id : null,
      customer_id: input.customer_id,
      customer_email: erased.pseudonym,
      details: { pseudonym: erased.pseudonym, erased_lines: erased.erased_lines, trigger: input.actor_type === "user" ? "admin" : "customer_deleted" },
    }))
    recordLogEntryStep(line)
    return new WorkflowResponse(erased)
  }
)
