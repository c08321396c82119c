import { MedusaError } from "@medusajs/framework/utils"

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

/** The columns a log line is written with, in INSERT_LOG_LINE_SQL's order (logLineValues). */
const COLUMNS = ["id", "event_id", "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id", "customer_email", "session_id", "details"]
const columns = (row = "") => COLUMNS.map((c) => `${row}"${c}"`).join(", ")

/**
 * The insert of one log line (its digest and transaction id come from the
 * insert trigger); a line whose `event_id` is already in the log is skipped.
 * It answers the line's id and whether the row the table holds is the one
 * asked for (`as_written`): no trigger or rule changed it on its way in.
 */
export const INSERT_LOG_LINE_SQL = `with "v" (${columns()}) as (
       values (?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::jsonb)),
     "ins" as (
       insert into "login_as_customer_log_entry" (${columns()})
       select ${columns()} from "v"
       on conflict ("event_id") where event_id IS NOT NULL AND deleted_at IS NULL do nothing
       returning ${columns()}, "deleted_at")
   select i."id", ((${columns('i.')}, i."deleted_at") is not distinct from (${columns('v.')}, null::timestamptz)) as "as_written"
     from "ins" i, "v"`

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

/** Runs a statement with bindings, answering its rows (an entity manager's `execute`, or knex's `raw` unwrapped). */
export type RunSql = (sql: string, bindings: unknown[]) => Promise<Array<Record<string, unknown>>>

/**
 * Appends line `id` (INSERT_LOG_LINE_SQL) and answers whether it was written:
 * false only when its `event_id` is already in the log. A line the table
 * didn't take, or took changed (a trigger or rule on the log's table that
 * is none of the plugin's: Log health names it), is an error: what it
 * records must not go on unlogged, and the caller's transaction, rolled
 * back, takes the changed line with it.
 */
export async function insertLogLine(run: RunSql, id: string, input: RecordLogEntryInput): Promise<boolean> {
  const [row] = await run(INSERT_LOG_LINE_SQL, logLineValues(id, input))
  if (row?.as_written === true) {
    return true
  }
  if (!row && input.event_id != null) {
    const [kept] = await run(
      `select 1 as "kept" from "login_as_customer_log_entry" where "event_id" = ? and "deleted_at" is null limit 1`,
      [input.event_id]
    )
    if (kept) {
      return false
    }
  }
  throw new MedusaError(
    MedusaError.Types.UNEXPECTED_STATE,
    `Login as Customer: the log line for "${input.action}" was ${row ? "changed" : "dropped"} by the database on its way in (a trigger or rule on the log's table that is not the plugin's: see Log health); what it records was not done`
  )
}
