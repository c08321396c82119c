import { createWorkflow, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { markCartForSessionStep } from "../steps/mark-cart-for-session"

export const markCartForSessionWorkflowId = "mark-cart-for-login-as-customer-session"

/** Marks a cart as changed during an impersonation session. */
export const markCartForSessionWorkflow = createWorkflow(
  markCartForSessionWorkflowId,
  (input: WorkflowData<{ cart_id: string; session_id: string; user_id: string }>) => {
    return new WorkflowResponse(markCartForSessionStep(input))
  }
)
