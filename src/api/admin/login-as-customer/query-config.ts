/** The log entry fields a list returns unless `fields` asks otherwise. */
export const defaultLogEntryFields = [
  "id",
  "action",
  "actor_type",
  "actor_id",
  "user_id",
  "user_email",
  "customer_id",
  "customer_email",
  "session_id",
  "details",
  "created_at",
]
