import { emitEventStep } from "@medusajs/medusa/core-flows"
import {
  createWorkflow,
  when,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { LoginAsCustomerEvents } from "../../../types"
import { attributeOrderStep } from "../steps/attribute-order"
import { recordEventLogStep } from "../../log/steps/record-event-log"

export const attributeOrderWorkflowId = "attribute-order-to-login-as-customer"

/**
 * Attributes a placed order to the impersonation session its cart was changed
 * in, whichever path completed the cart, and emits
 * `login_as_customer.order_placed`.
 */
export const attributeOrderWorkflow = createWorkflow(
  attributeOrderWorkflowId,
  (input: WorkflowData<{ order_id: string }>) => {
    const attributed = attributeOrderStep(input)
    when("order-attributed", { attributed }, ({ attributed }) => !!attributed).then(() => {
      recordEventLogStep({ eventName: LoginAsCustomerEvents.ORDER_PLACED, data: attributed })
      emitEventStep({ eventName: LoginAsCustomerEvents.ORDER_PLACED, data: attributed })
    })
    return new WorkflowResponse(attributed)
  }
)
