import { model } from "@medusajs/framework/utils"

/**
 * A per-admin grant, used when Medusa's RBAC flag is off and the settings'
 * `access` is `selected_admins`.
 */
const AdminGrant = model
  .define("login_as_customer_admin_grant", {
    id: model.id({ prefix: "lacg" }).primaryKey(),
    user_id: model.text(),
    can_login: model.boolean().default(false),
    can_view_log: model.boolean().default(false),
  })
  .indexes([
    {
      on: ["user_id"],
      unique: true,
      where: "deleted_at IS NULL",
    },
  ])

export default AdminGrant
