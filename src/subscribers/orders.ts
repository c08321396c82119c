import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { withRetry } from "../lib/retry"
import { attributeOrderWorkflow } from "../workflows/orders/workflows/attribute-order"

/**
 * `order.placed`: attributes the order to the impersonation session its cart
 * was changed in (whatever completed the cart: storefront, webhook or API),
 * and logs `order_placed`. Retried on failure; attribution and its log line
 * happen once however often it runs.
 */
export default async function orderAttributionHandler({
  event: { data },
  container,
}: SubscriberArgs<{ id: string }>) {
  await withRetry(() => attributeOrderWorkflow(container).run({ input: { order_id: data.id } }))
}

export const config: SubscriberConfig = {
  event: "order.placed",
  context: { subscriberId: "login-as-customer-orders" },
}
