import { model } from "@medusajs/framework/utils"

/**
 * A completion of a cart in a session that the store is running now:
 * written by the store guard before the store completes the cart, deleted
 * once that request's own line is written (or could not be). Medusa's
 * `order.placed` subscriber waits while the cart has one (awaitCartCompletion),
 * so it decides on that line as the guard does. One per request: another
 * request's line, of the session or another, ends none.
 */
const CartCompletion = model
  .define("login_as_customer_cart_completion", {
    id: model.id({ prefix: "lacco" }).primaryKey(),
    cart_id: model.text(),
    session_id: model.text(),
  })
  .indexes([{ on: ["cart_id"] }])

export default CartCompletion
