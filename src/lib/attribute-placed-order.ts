import type { MedusaContainer } from "@medusajs/framework/types"
import { attributeOrderWorkflow } from "../workflows/orders/workflows/attribute-order"
import { LOG_LINE_REFUSED, withRetry } from "./retry"

/**
 * Attributes a placed order to the impersonation session that changed its
 * cart and logs `order_placed` (attributeOrderWorkflow), retried on failure;
 * once however often it runs. A refused log line is not retried: the next
 * try meets the same line.
 */
export async function attributePlacedOrder(container: MedusaContainer, orderId: string): Promise<void> {
  await withRetry(() => attributeOrderWorkflow(container).run({ input: { order_id: orderId } }), {
    retryIf: (error) => (error as { code?: unknown } | null)?.code !== LOG_LINE_REFUSED,
  })
}
