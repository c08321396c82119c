import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LOG_LINE_REFUSED, withRetry } from "../lib/retry"
import { attributeOrderWorkflow } from "../workflows/orders/workflows/attribute-order"

/**
 * `order.placed`: attributes the order to the impersonation session its cart
 * was changed in (whatever completed the cart: storefront, webhook or API),
 * and logs `order_placed`. Retried on failure; attribution and its log line
 * happen once however often it runs. A failure that outlasts the retries is
 * written to the server's log.
 */
export default async function orderAttributionHandler({
  event: { data },
  container,
}: SubscriberArgs<{ id: string }>) {
  try {
    // A refused log line is not retried: the next try meets the same line.
    await withRetry(() => attributeOrderWorkflow(container).run({ input: { order_id: data.id } }), {
      retryIf: (error) => (error as { code?: unknown } | null)?.code !== LOG_LINE_REFUSED,
    })
  } catch (error) {
    // Said in the server's log: the order is placed, but not attributed nor
    // on the plugin's log (Medusa's local event bus drops a subscriber's error).
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .error(`Login as Customer: order ${data.id} could not be attributed and logged: ${(error as Error)?.message ?? error}`)
    throw error
  }
}

export const config: SubscriberConfig = {
  event: "order.placed",
  context: { subscriberId: "login-as-customer-orders" },
}
