import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { ILockingModule } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { orderOfCart } from "../../../lib/cart-completion"
import { MEDUSA_ID } from "../../utils/schemas"
import type { GuardedRequest } from "../../impersonation/types"

/** How long a completion waits for the one before it (Medusa waits on its cart's lock as long). */
const WAIT_SECONDS = 30
/** A completion whose answer never comes gives its turn up after this (Medusa's cart lock lasts as long). */
const HOLD_MS = 120_000

const lockKey = (cartId: string) => `login-as-customer:cart-completion:${cartId}`

/**
 * `POST /store/carts/:id/complete`, in every spelling Express routes,
 * whoever sends it (a session, the customer, a guest): one completion of a
 * cart at a time, each holding the cart's turn (Medusa's Locking Module)
 * until its answer, 30 s at most waited for (then `409`, as Medusa answers
 * a completion it can't run). Medusa completes a cart under a lock of its
 * own, but serves those waiting on it in no set order (each retries every
 * 300 ms), so a completion sent while another request held the cart could
 * be answered with the order a later one created. Here the first to come
 * runs first: a session's completion whose turn comes after the cart has
 * become an order didn't create it (`cart_had_order`, on its line as
 * `order_created: false`, and it counts for nothing), and one whose turn
 * comes before did, unless the cart is completed meanwhile by something
 * other than this route (a payment provider's webhook, a merchant's own route).
 */
export async function oneCartCompletionAtATime(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const cartId = (req.params as Record<string, string> | undefined)?.[0]
  if (typeof cartId !== "string" || !MEDUSA_ID.test(cartId)) {
    return next()
  }
  let answered!: () => void
  const answer = new Promise<void>((resolve) => (answered = resolve))
  let turnCame!: () => void
  const turn = new Promise<void>((resolve) => (turnCame = resolve))
  const locking = req.scope.resolve<ILockingModule>(Modules.LOCKING)
  const held = locking.execute(
    lockKey(cartId),
    async () => {
      turnCame()
      await answer
    },
    { timeout: WAIT_SECONDS, expire: HOLD_MS / 1000 }
  )
  try {
    await Promise.race([turn, held])
  } catch {
    return next(new MedusaError(MedusaError.Types.CONFLICT, "Cart is already being completed by another request"))
  }
  const giveUp = setTimeout(answered, HOLD_MS)
  giveUp.unref?.()
  held.catch((error: unknown) =>
    req.scope
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(`Login as Customer: the turn of a completion of cart ${cartId} ended early: ${(error as Error)?.message ?? error}`)
  )
  // The turn ends when the completion answers (its workflow is done), whatever the client does meanwhile.
  const end = res.end.bind(res) as (...args: unknown[]) => MedusaResponse
  res.end = ((...args: unknown[]) => {
    clearTimeout(giveUp)
    answered()
    return end(...args)
  }) as typeof res.end
  const impersonation = (req as GuardedRequest).login_as_customer
  if (impersonation) {
    try {
      impersonation.cart_had_order = (await orderOfCart(req.scope, cartId)) !== null
    } catch (error) {
      return next(error)
    }
  }
  next()
}
