import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"

/** How long a completion in a session is waited for, at most. */
const WAIT_MS = 10_000
const POLL_MS = 100

const serviceOf = (container: MedusaContainer) => container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)

/**
 * Notes a completion of a cart a session's request runs, before the store
 * runs it; the request ends the note once its own line is written, or
 * couldn't be (endCartCompletion). Medusa's `order.placed` subscriber, which
 * runs before that line is written, waits meanwhile (awaitCartCompletion)
 * and then decides on it, as the store guard does. Nothing is held: a note
 * nobody ends is waited on 10 s at most.
 */
export async function startCartCompletion(container: MedusaContainer, cartId: string, sessionId: string): Promise<string> {
  return await serviceOf(container).startCartCompletion(cartId, sessionId)
}

/** Ends a completion's note (startCartCompletion). */
export async function endCartCompletion(container: MedusaContainer, id: string): Promise<void> {
  await serviceOf(container).endCartCompletion(id)
}

/**
 * Waits (10 s at most, polling) until no session's request is completing
 * the cart (startCartCompletion). Returns false when one still is: that
 * request attributes the order itself once its line is written.
 */
export async function awaitCartCompletion(container: MedusaContainer, cartId: string): Promise<boolean> {
  const service = serviceOf(container)
  const deadline = Date.now() + WAIT_MS
  while (await service.cartCompletionInFlight(cartId)) {
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  return true
}

/** The order the cart became (Medusa's link from an order to its cart), if any. */
export async function orderOfCart(container: MedusaContainer, cartId: string): Promise<string | null> {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order_cart",
    fields: ["order_id"],
    filters: { cart_id: cartId },
  })
  return (data[0] as { order_id?: string } | undefined)?.order_id ?? null
}
