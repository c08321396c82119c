import { model } from "@medusajs/framework/utils"
import { ASSISTANCE_ACTOR_TYPES } from "../../../types"

/**
 * A customer's consent to remote shopping assistance ("Allow remote shopping
 * assistance"). One row per customer; `expires_at` makes the consent time-boxed.
 */
const RemoteAssistance = model
  .define(
    {
      name: "remote_assistance",
      tableName: "login_as_customer_remote_assistance",
    },
    {
      id: model.id({ prefix: "lacra" }).primaryKey(),
      customer_id: model.text(),
      allowed: model.boolean().default(false),
      expires_at: model.dateTime().nullable(),
      updated_by_type: model.enum([...ASSISTANCE_ACTOR_TYPES]).nullable(),
      updated_by_id: model.text().nullable(),
    }
  )
  .indexes([
    {
      on: ["customer_id"],
      unique: true,
      where: "deleted_at IS NULL",
    },
  ])

export default RemoteAssistance
