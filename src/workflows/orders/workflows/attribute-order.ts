import { emitEventStep } from "@medusajs/medusa/core-flows"
import {
  createWorkflow,
  transform,
  when,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { LoginAsCustomerEvents } from "../../../types"
import { attributeOrderStep, OrderAttribution, setOrderAttributionStep } from "../steps/attribute-order"
import { recordEventLogStep } from "../../log/steps/record-event-log"

export const attributeOrderWorkflowId = "attribute-order-to-login-as-customer"

/**
 * Attributes a placed order to the impersonation session its cart was changed
 * in, whichever path completed the cart: its `order_placed` line, then its
 * metadata entry, and emits `login_as_customer.order_placed`.
 */
export const attributeOrderWorkflow = createWorkflow(
  attributeOrderWorkflowId,
  (input: WorkflowData<{ order_id: string }>) => {
    const found = attributeOrderStep(input)
    const attributed = transform({ found }, ({ found }) => found?.event ?? null)
    when("order-attributed", { found }, ({ found }) => !!found).then(() => {
      const logged = recordEventLogStep({ eventName: LoginAsCustomerEvents.ORDER_PLACED, data: attributed })
      // Into the order once the log holds its line (one refused leaves the order as it is).
      setOrderAttributionStep(found as WorkflowData<OrderAttribution>)
      // Emitted by the run that wrote the line: the store guard and the
      // order.placed subscriber may both attribute a completion in a session.
      const placed = transform({ logged, attributed }, ({ logged, attributed }) => (logged.written > 0 ? [attributed] : []))
      emitEventStep({ eventName: LoginAsCustomerEvents.ORDER_PLACED, data: placed })
    })
    return new WorkflowResponse(attributed)
  }
)
