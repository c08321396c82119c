import { model } from "@medusajs/framework/utils"
import { END_REASONS, SESSION_MODES } from "../../../types"

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
    mode: model.enum([...SESSION_MODES]).default("full"),
    started_at: model.dateTime().nullable(),
    expires_at: model.dateTime(),
    ended_at: model.dateTime().nullable(),
    end_reason: model.enum([...END_REASONS]).nullable(),
  })
  .indexes([
    { on: ["user_id", "ended_at"] },
    { on: ["customer_id", "ended_at"] },
    // The expiry job's look for recent ends the log is missing (endsToLog).
    { on: ["ended_at"] },
  ])

export default Session
