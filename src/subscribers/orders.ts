import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { LoginAsCustomerEvents, OrderPlacedEventData } from "../types"
import { recordLogEntryWorkflow } from "../workflows/log/workflows/record-log-entry"
import { attributeOrderWorkflow } from "../workflows/orders/workflows/attribute-order"

/**
 * `order.placed`: attributes the order to the impersonation session its cart
 * was changed in (whatever completed the cart: storefront, webhook or API).
 * `login_as_customer.order_placed`: logs it.
 */
export default async function orderAttributionHandler({
  event: { name, data },
  container,
}: SubscriberArgs<{ id: string } | OrderPlacedEventData>) {
  if (name === "order.placed") {
    await attributeOrderWorkflow(container).run({ input: { order_id: (data as { id: string }).id } })
    return
  }
  const placed = data as OrderPlacedEventData
  await recordLogEntryWorkflow(container).run({
    input: {
      event_id: placed.event_id,
      action: "order_placed",
      actor_type: "user",
      actor_id: placed.user_id,
      user_id: placed.user_id,
      customer_id: placed.customer_id,
      session_id: placed.session_id,
      details: {
        order_id: placed.order_id,
        display_id: placed.display_id,
        cart_id: placed.cart_id,
        total: placed.total,
        currency_code: placed.currency_code,
        note: placed.note,
      },
    },
  })
}

export const config: SubscriberConfig = {
  event: ["order.placed", LoginAsCustomerEvents.ORDER_PLACED],
  context: { subscriberId: "login-as-customer-orders" },
}
