import type { MedusaContainer } from "@medusajs/framework/types"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"

/** How long a completion in a session is waited for, at most. */
const WAIT_MS = 10_000
const POLL_MS = 100

/**
 * Marks a cart as being completed in a session (markCartCompleting), before
 * the store runs the completion: Medusa's `order.placed` subscriber, which
 * runs before the completion's own line is written, waits for that line
 * (awaitCartCompletion) and then decides on it, as the store guard does.
 * Nothing is held: a marker no line follows is waited for 10 s at most.
 */
export async function markCartCompleting(container: MedusaContainer, cartId: string, sessionId: string): Promise<void> {
  await container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE).markCartCompleting(cartId, sessionId)
}

/** Waits (10 s at most, polling) until no session is completing the cart (markCartCompleting). */
export async function awaitCartCompletion(container: MedusaContainer, cartId: string): Promise<void> {
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const deadline = Date.now() + WAIT_MS
  while (Date.now() < deadline && (await service.cartCompletionInFlight(cartId, WAIT_MS / 1000))) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}
