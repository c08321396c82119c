import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export const markCartForSessionStepId = "mark-cart-for-login-as-customer-session"

export type CartSessionMarker = { session_id: string; user_id: string; marked_at: string }

type Input = { cart_id: string; session_id: string; user_id: string }
/** Steps that changed nothing hand their compensation nothing to undo. */
const NOTHING_TO_UNDO = undefined as unknown as NonNullable<Previous>

type Previous = { cart_id: string; metadata: Record<string, unknown> } | undefined

/**
 * Records in the cart's metadata that it was changed during an impersonation
 * session, so the order it becomes can be attributed whoever completes it.
 * A cart already marked by this session is left as it is.
 */
export const markCartForSessionStep = createStep(
  markCartForSessionStepId,
  async (input: Input, { container }): Promise<StepResponse<boolean, NonNullable<Previous>>> => {
    const cartModule = container.resolve(Modules.CART)
    const [cart] = await cartModule.listCarts({ id: input.cart_id }, { select: ["id", "metadata", "completed_at"] })
    if (!cart || cart.completed_at) {
      return new StepResponse(false, NOTHING_TO_UNDO)
    }
    const metadata = (cart.metadata ?? {}) as Record<string, unknown>
    const current = metadata.login_as_customer as CartSessionMarker | undefined
    if (current?.session_id === input.session_id) {
      return new StepResponse(false, NOTHING_TO_UNDO)
    }
    const marker: CartSessionMarker = {
      session_id: input.session_id,
      user_id: input.user_id,
      marked_at: new Date().toISOString(),
    }
    await cartModule.updateCarts(input.cart_id, { metadata: { ...metadata, login_as_customer: marker } })
    return new StepResponse(true, { cart_id: input.cart_id, metadata })
  },
  async (previous: Previous, { container }) => {
    if (!previous) {
      return
    }
    await container.resolve(Modules.CART).updateCarts(previous.cart_id, { metadata: previous.metadata })
  }
)
