import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { attributePlacedOrder } from "../lib/attribute-placed-order"

/**
 * `order.placed`: attributes the order to the impersonation session its cart
 * was changed in (whatever completed the cart: storefront, webhook or API),
 * and logs `order_placed` (attributePlacedOrder). A completion in a session
 * is attributed by the store guard too, once its own line is written (this
 * runs before that, and finds no action of the session on the cart yet).
 * A failure that outlasts the retries is written to the server's log.
 */
export default async function orderAttributionHandler({
  event: { data },
  container,
}: SubscriberArgs<{ id: string }>) {
  try {
    await attributePlacedOrder(container, data.id)
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
