import { model } from "@medusajs/framework/utils"

/**
 * An impersonation session: an admin acting in a customer's storefront account.
 * `started_at` is null while the session waits for its ticket to be exchanged.
 */
const Session = model
  .define("login_as_customer_session", {
    id: model.id({ prefix: "lacs" }).primaryKey(),
    user_id: model.text(),
    customer_id: model.text(),
    storefront_id: model.text().nullable(),
    context: model.json().nullable(),
    reason: model.text().nullable(),
    mode: model.enum(["full", "read_only"]).default("full"),
    started_at: model.dateTime().nullable(),
    expires_at: model.dateTime(),
    ended_at: model.dateTime().nullable(),
    end_reason: model
      .enum([
        "logout",
        "ended_by_admin",
        "expired",
        "consent_withdrawn",
        "feature_disabled",
        "superseded",
        "admin_revoked",
        "admin_logout",
      ])
      .nullable(),
  })
  .indexes([
    { on: ["user_id", "ended_at"] },
    { on: ["customer_id", "ended_at"] },
  ])

export default Session
