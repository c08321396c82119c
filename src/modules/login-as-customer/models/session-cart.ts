import { model } from "@medusajs/framework/utils"

/**
 * A cart changed during an impersonation session, written by the store guard
 * (never by a client): the record the order it becomes is attributed from.
 * `created_at` is when the session first changed the cart.
 */
const SessionCart = model
  .define("login_as_customer_session_cart", {
    id: model.id({ prefix: "lacsc" }).primaryKey(),
    session_id: model.text(),
    cart_id: model.text(),
    customer_id: model.text(),
    user_id: model.text(),
  })
  .indexes([
    { on: ["cart_id", "session_id"], unique: true },
    { on: ["session_id"] },
  ])

export default SessionCart
