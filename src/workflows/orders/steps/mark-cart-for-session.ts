import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { decideSessionRequest } from "../../../lib/session-facts"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"

export const markCartForSessionStepId = "mark-cart-for-login-as-customer-session"

type Input = { cart_id: string; session_id: string; user_id: string }
/** Steps that changed nothing hand their compensation nothing to undo. */
const NOTHING_TO_UNDO = undefined as unknown as string

/**
 * Records, in the plugin's own table, that a cart was changed during an
 * impersonation session, so the order it becomes is attributed whoever
 * completes it. Only a live session of the cart's own customer is recorded
 * (the same check as every store request in a session); a cart already
 * recorded for the session is left as it is. Nothing is written to the cart.
 * Returns whether a record was written.
 */
export const markCartForSessionStep = createStep(
  markCartForSessionStepId,
  async (input: Input, { container }): Promise<StepResponse<boolean, string>> => {
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    const recorded = await service.listLoginAsCustomerSessionCarts(
      { cart_id: input.cart_id, session_id: input.session_id },
      { select: ["id"], take: 1 }
    )
    if (recorded.length) {
      return new StepResponse(false, NOTHING_TO_UNDO)
    }
    const [cart] = await container
      .resolve(Modules.CART)
      .listCarts({ id: input.cart_id }, { select: ["id", "customer_id", "completed_at"] })
    if (!cart || cart.completed_at || !cart.customer_id) {
      return new StepResponse(false, NOTHING_TO_UNDO)
    }
    // The session must be alive and be the cart's customer's, with this admin.
    const { decision } = await decideSessionRequest(container, {
      claim: { session_id: input.session_id, user_id: input.user_id },
      actor_id: cart.customer_id,
    })
    if (!decision.allowed) {
      return new StepResponse(false, NOTHING_TO_UNDO)
    }
    const id = await service.recordSessionCart({
      session_id: input.session_id,
      cart_id: cart.id,
      customer_id: cart.customer_id,
      user_id: input.user_id,
    })
    return new StepResponse(!!id, id ?? NOTHING_TO_UNDO)
  },
  async (id: string | undefined, { container }) => {
    if (!id) {
      return
    }
    await container
      .resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
      .deleteLoginAsCustomerSessionCarts(id)
  }
)
