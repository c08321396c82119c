import type { MedusaContainer } from "@medusajs/framework/types"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"

/** How long a completion in a session is waited for, at most. */
const WAIT_MS = 10_000
const POLL_MS = 100

const serviceOf = (container: MedusaContainer) => container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)

/**
 * Notes a completion of a cart a request runs (`sessionId`: a session's
 * request, or null for any other), before the store runs it; the request
 * ends the note once answered (a session's: once its own line is written,
 * or couldn't be: endCartCompletion). Medusa's `order.placed` subscriber,
 * which runs before a session's line is written, waits meanwhile
 * (awaitCartCompletion) and then decides on it, as the store guard does.
 * Nothing is held: a note nobody ends is waited on 10 s at most.
 */
export async function startCartCompletion(container: MedusaContainer, cartId: string, sessionId: string | null): Promise<string> {
  return await serviceOf(container).startCartCompletion(cartId, sessionId)
}

/** Ends a completion's note (startCartCompletion), with the order it was answered with, if any. */
export async function endCartCompletion(container: MedusaContainer, id: string, orderId: string | null): Promise<void> {
  await serviceOf(container).endCartCompletion(id, orderId)
}

/**
 * Whether the completion noted as `id` didn't create the order it was
 * answered with: it waited on Medusa's lock of the cart behind another
 * completion, taken before it, that did (CartCompletionService.completionBehindAnother).
 */
export async function completionBehindAnother(container: MedusaContainer, id: string, orderId: string): Promise<boolean> {
  return await serviceOf(container).completionBehindAnother(id, orderId)
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
