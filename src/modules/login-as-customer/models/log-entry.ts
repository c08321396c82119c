import { model } from "@medusajs/framework/utils"

/**
 * One line of the Login as Customer log. Append-only: nothing updates or deletes
 * it. `event_id` makes subscribers idempotent (a retried event writes one row).
 * Never soft-deleted: the insert trigger sets `deleted_at` to null whatever
 * the insert says (Migration20261204140001).
 */
const LogEntry = model
  .define("login_as_customer_log_entry", {
    id: model.id({ prefix: "lacl" }).primaryKey(),
    event_id: model.text().nullable(),
    action: model.text(),
    actor_type: model.text(),
    actor_id: model.text().nullable(),
    user_id: model.text().nullable(),
    user_email: model.text().nullable(),
    customer_id: model.text().nullable(),
    customer_email: model.text().nullable(),
    session_id: model.text().nullable(),
    details: model.json().nullable(),
  })
  .indexes([
    { on: ["event_id"], unique: true, where: "event_id IS NOT NULL" },
    { on: ["created_at"] },
    { on: ["action", "created_at"] },
    { on: ["user_id", "created_at"] },
    { on: ["customer_id", "created_at"] },
    { on: ["session_id", "created_at"] },
  ])

export default LogEntry
