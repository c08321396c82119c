import { model } from "@medusajs/framework/utils"

/**
 * A one-time login ticket. Only the sha256 of the 32-byte secret is stored; the
 * secret itself travels once, in the storefront URL's fragment.
 */
const Ticket = model
  .define("login_as_customer_ticket", {
    id: model.id({ prefix: "lact" }).primaryKey(),
    token_hash: model.text(),
    user_id: model.text(),
    customer_id: model.text(),
    storefront_id: model.text().nullable(),
    session_id: model.text(),
    expires_at: model.dateTime(),
    consumed_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["token_hash"], unique: true },
    { on: ["session_id"] },
  ])

export default Ticket
