import { model } from "@medusajs/framework/utils"

/**
 * A completion of a cart the store runs: written before the store completes
 * the cart (by the store guard for a session's request, with its session;
 * by the completion route's middleware for any other, without), and ended
 * (`deleted_at`, with the order it was answered with, if any) once it is
 * answered (a session's: once its own line is written). Medusa's
 * `order.placed` subscriber waits while a session's is running
 * (awaitCartCompletion), so it decides on that line as the guard does. A
 * session's completion taken while another was running, which was then
 * answered with its order or is still running, didn't create that order:
 * Medusa completes a cart under a lock, and answers the completions waiting
 * on it with the order the first one created (completionBehindAnother).
 * One per request: another request's line, of the session or another,
 * ends none. Rows are purged an hour after they were written.
 */
const CartCompletion = model
  .define("login_as_customer_cart_completion", {
    id: model.id({ prefix: "lacco" }).primaryKey(),
    cart_id: model.text(),
    session_id: model.text().nullable(),
    order_id: model.text().nullable(),
  })
  .indexes([{ on: ["cart_id"] }])

export default CartCompletion
