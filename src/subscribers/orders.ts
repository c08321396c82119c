import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { attributePlacedOrder } from "../lib/attribute-placed-order"
import { awaitCartCompletion } from "../lib/cart-completion"

/**
 * `order.placed`: attributes the order to the impersonation session its cart
 * was changed in (whatever completed the cart: storefront, webhook or API),
 * and logs `order_placed` (attributePlacedOrder). A completion in a session
 * is attributed by the store guard, once its own line is written: this runs
 * before that, and waits for it (awaitCartCompletion), so both decide on the
 * same lines; a completion still running after 10 s attributes its order alone.
 * A failure that outlasts the retries is written to the server's log.
 */
export default async function orderAttributionHandler({
  event: { data },
  container,
}: SubscriberArgs<{ id: string }>) {
  try {
    // A session completing the cart attributes the order itself once its own
    // line is written; this waits for that, and then decides on the same lines.
    const { data: orders } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
      entity: "order",
      fields: ["id", "cart.id"],
      filters: { id: data.id },
    })
    const cartId = (orders[0] as { cart?: { id?: string } | null } | undefined)?.cart?.id
    if (cartId && !(await awaitCartCompletion(container, cartId))) {
      // Still running after 10 s (its line held up): deciding without it
      // could name another session; the completing request attributes it.
      container
        .resolve(ContainerRegistrationKeys.LOGGER)
        .warn(`Login as Customer: order ${data.id} is left to the session completing its cart, still running after 10 s`)
      return
    }
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
