/** One line to append to the log. */
export type RecordLogEntryInput = {
  event_id?: string | null
  action: string
  actor_type: "user" | "customer" | "system"
  actor_id?: string | null
  user_id?: string | null
  user_email?: string | null
  customer_id?: string | null
  customer_email?: string | null
  session_id?: string | null
  details?: Record<string, unknown> | null
}

/**
 * The insert of one log line (its digest and transaction id come from the
 * insert trigger); a line whose `event_id` is already in the log is skipped.
 */
export const INSERT_LOG_LINE_SQL = `insert into "login_as_customer_log_entry"
     ("id", "event_id", "action", "actor_type", "actor_id", "user_id", "user_email",
      "customer_id", "customer_email", "session_id", "details")
   values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
   on conflict ("event_id") where event_id IS NOT NULL AND deleted_at IS NULL do nothing
   returning "id"`

/** INSERT_LOG_LINE_SQL's bindings for line `id`. */
export function logLineValues(id: string, input: RecordLogEntryInput): unknown[] {
  return [
    id,
    input.event_id ?? null,
    input.action,
    input.actor_type,
    input.actor_id ?? null,
    input.user_id ?? null,
    input.user_email ?? null,
    input.customer_id ?? null,
    input.customer_email ?? null,
    input.session_id ?? null,
    input.details == null ? null : JSON.stringify(input.details),
  ]
}
