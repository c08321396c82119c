import { createWorkflow, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { markCartForSessionStep } from "../steps/mark-cart-for-session"

export const markCartForSessionWorkflowId = "mark-cart-for-login-as-customer-session"

/**
 * Records that a cart was changed during an impersonation session (in the
 * plugin's own table, for a live session of the cart's customer only), so the
 * order it becomes is attributed whoever completes it. Called by the store guard.
 */
export const markCartForSessionWorkflow = createWorkflow(
  markCartForSessionWorkflowId,
  (input: WorkflowData<{ cart_id: string; session_id: string; user_id: string }>) => {
    return new WorkflowResponse(markCartForSessionStep(input))
  }
)
