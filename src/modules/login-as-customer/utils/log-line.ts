import { MedusaError } from "@medusajs/framework/utils"
import { LOG_LINE_REFUSED } from "../../../lib/retry"

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

/** The columns a log line is written with, in logLineValues' order. */
const COLUMNS = ["id", "event_id", "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id", "customer_email", "session_id", "details"]
const columns = COLUMNS.map((c) => `"${c}"`).join(", ")
const values = `?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::jsonb`

/** What the statement fails with when the row the table took is not the one asked for. */
const NOT_AS_WRITTEN = "login_as_customer: log line not as written"
/** NOT_AS_WRITTEN in the statement, in two pieces: an error's message quotes the statement, which must not read as this error's. */
const NOT_AS_WRITTEN_SQL = `'${NOT_AS_WRITTEN.slice(0, 20)}' || '${NOT_AS_WRITTEN.slice(20)}'`

/**
 * The insert of one log line (its digest and transaction id come from the
 * insert trigger); a line whose `event_id` is already in the log is skipped.
 * The row the table took (after every BEFORE trigger) must be the one asked
 * for, dated by its defaults (the transaction's time), or the statement
 * fails, so the insert goes with it: in one statement, without a
 * transaction around it. (An error raised in SQL's
 * own terms: the cast of a text that is no number, evaluated only for such
 * a row.) Its bindings are logLineValues twice.
 */
const INSERT_LOG_LINE_SQL = `insert into "login_as_customer_log_entry" (${columns})
   values (${values})
   on conflict ("event_id") where event_id IS NOT NULL AND deleted_at IS NULL do nothing
   returning case when (${columns}, "created_at", "updated_at", "deleted_at")
                       is not distinct from (${values}, pg_catalog.now(), pg_catalog.now(), null::timestamptz) then "id"
             else (${NOT_AS_WRITTEN_SQL} || ': ' || "id")::int::text end as "id"`

/** The values of line `id`, in COLUMNS' order. */
function logLineValues(id: string, input: RecordLogEntryInput): unknown[] {
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
 * records must not go on unlogged. A changed line fails its own statement,
 * so it is not in the log either.
 */
export async function insertLogLine(run: RunSql, id: string, input: RecordLogEntryInput): Promise<boolean> {
  const line = logLineValues(id, input)
  const [row] = await run(INSERT_LOG_LINE_SQL, [...line, ...line]).catch((error) => {
    throw String((error as Error)?.message).includes(NOT_AS_WRITTEN) ? refused(input, "changed") : error
  })
  if (row) {
    return true
  }
  if (input.event_id != null) {
    const [kept] = await run(
      `select 1 as "kept" from "login_as_customer_log_entry" where "event_id" = ? and "deleted_at" is null limit 1`,
      [input.event_id]
    )
    if (kept) {
      return false
    }
  }
  throw refused(input, "dropped")
}

function refused(input: RecordLogEntryInput, how: "changed" | "dropped"): MedusaError {
  return new MedusaError(
    MedusaError.Types.UNEXPECTED_STATE,
    `Login as Customer: the log line for "${input.action}" was ${how} by the database on its way in (a trigger or rule on the log's table that is not the plugin's, see Log health, or a column's default changed); what it records was not done`,
    LOG_LINE_REFUSED
  )
}
