import { MedusaError } from "@medusajs/framework/utils"
import { LOG_LINE_REFUSED } from "../../../lib/retry"
import { PERSONAL_DETAIL_KEYS, pseudonymSql } from "../log-integrity/sql"

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
  /**
   * When the event happened, by the app's clock (not a column: the line is
   * dated by the database when written). A line of the same event already in
   * the log counts as its duplicate only when dated from a minute before it
   * (clocks differ) to now: a retried write comes after the first, never
   * before the event.
   */
  occurred_at?: Date | string | null
}

/** The columns a log line is written with, in logLineValues' order. */
const COLUMNS = ["id", "event_id", "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id", "customer_email", "session_id", "details"]
const columns = COLUMNS.map((c) => `"${c}"`).join(", ")
/** Each column's placeholder, cast to the column's type. */
const placeholders = COLUMNS.map((c) => (c === "details" ? "?::jsonb" : "?::text"))
const values = placeholders.join(", ")

/** What the statement fails with when the row the table took is not the one asked for. */
const NOT_AS_WRITTEN = "login_as_customer: log line not as written"
/** NOT_AS_WRITTEN in the statement, in two pieces: an error's message quotes the statement, which must not read as this error's. */
const NOT_AS_WRITTEN_SQL = `'${NOT_AS_WRITTEN.slice(0, 20)}' || '${NOT_AS_WRITTEN.slice(20)}'`

/**
 * The insert of one log line (its digest and transaction id come from the
 * insert trigger); a line whose `event_id` is already in the log is not
 * inserted (insertLogLine then reads that line: SAME_EVENT_SQL).
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

/** The columns a write of an event is compared on with the line already there, in logLineValues' order after `event_id`. */
const CONTENT = COLUMNS.slice(2)

/** How much earlier than the event, by the app's clock, its line may be dated by the database's. */
export const EVENT_CLOCK_SKEW = "1 minute"

/** The kinds of a session's own events, each once per session. */
export type SessionEventKind = "ticket_issued" | "session_started" | "session_ended"

/** A session event's id: its kind and the session's id, so a redelivered event maps to the same line. */
export const sessionEventId = (kind: SessionEventKind, sessionId: string) => `${kind}:${sessionId}`

/**
 * Whether a line (its `created_at`) is dated within its event's time: not
 * after now, and, when the event's time is known, not more than
 * EVENT_CLOCK_SKEW before it. Its binding is the event's time (or null).
 */
const IN_EVENT_TIME = `("created_at" <= pg_catalog.clock_timestamp()
       and "created_at" >= coalesce(?::timestamptz - interval '${EVENT_CLOCK_SKEW}', '-infinity'::timestamptz))`

/**
 * Whether the line already in the log with the event's `event_id` records
 * what the app asks to write (no row when there is none), compared column
 * by column with the insert's own bindings, and whether it is dated within
 * the event's time (IN_EVENT_TIME). Event ids are predictable
 * (`session_started:<session id>`): whoever may insert into the log could
 * otherwise write an event's line first, naming another admin, and have the
 * app's own line skipped as a duplicate; or, holding the app's insert back
 * with a lock, write the very line the app would, dated hours earlier. Its
 * bindings are the insert's after `event_id`, the event's time, then
 * `event_id`.
 */
const SAME_EVENT_SQL = `select (${CONTENT.map((c) => `"${c}"`).join(", ")})
          is not distinct from (${placeholders.slice(2).join(", ")}) as "same",
          coalesce(${IN_EVENT_TIME}, false) as "in_time",
          to_char("created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "created_at"
     from "login_as_customer_log_entry" where "event_id" = ?::text and "deleted_at" is null limit 1`

const personalKeys = `array[${PERSONAL_DETAIL_KEYS.map((k) => `'${k}'`).join(", ")}]::text[]`

/**
 * Whether that line records the same event with its customer's personal
 * data erased since: its salt dropped (which only erasure does, the insert
 * trigger salts every line), the customer's email their pseudonym (null
 * stays null) and the personal keys of `details` null, so those are left
 * out of the comparison; the rest of `details` and every other column are
 * not, and it is dated within the event's time. Asked only of a line SAME_EVENT_SQL found different, so the salt
 * (a column of the migrations') is read only then: the module's own tests
 * build the table from its model, which has none. Its bindings are
 * erasedSameEventValues'.
 */
const ERASED_SAME_EVENT_SQL = `select 1 as "same" from "login_as_customer_log_entry"
    where "event_id" = ?::text and "deleted_at" is null and "pii_salt" is null
      and ("action", "actor_type", "actor_id", "user_id", "user_email", "customer_id", "session_id", "details" - ${personalKeys})
          is not distinct from (?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::jsonb - ${personalKeys})
      and ("customer_email" is not distinct from ?::text
           or (?::text is not null and "customer_email" = ${pseudonymSql(`"customer_id"`)}))
      and ${IN_EVENT_TIME}
    limit 1`

/** ERASED_SAME_EVENT_SQL's bindings, from logLineValues' `line` and the event's time. */
function erasedSameEventValues(line: unknown[], occurredAt: string | null): unknown[] {
  const [, eventId, action, actorType, actorId, userId, userEmail, customerId, customerEmail, sessionId, details] = line
  return [eventId, action, actorType, actorId, userId, userEmail, customerId, sessionId, details, customerEmail, customerEmail, occurredAt]
}

/** The event's time as the statements bind it: an ISO string, or null when unknown or not a time. */
function eventTime(input: RecordLogEntryInput): string | null {
  const time = input.occurred_at == null ? NaN : new Date(input.occurred_at).getTime()
  return Number.isFinite(time) ? new Date(time).toISOString() : null
}

/** Runs a statement with bindings, answering its rows (an entity manager's `execute`, or knex's `raw` unwrapped). */
export type RunSql = (sql: string, bindings: unknown[]) => Promise<Array<Record<string, unknown>>>

/**
 * Appends line `id` (INSERT_LOG_LINE_SQL) and answers whether it was written:
 * false only when its `event_id` is already in the log on a line that
 * records the same (SAME_EVENT_SQL), or did before its customer's personal
 * data was erased (ERASED_SAME_EVENT_SQL), dated within the event's time:
 * what a retried or doubly delivered event finds. A line of that event that says otherwise (written there
 * first by someone else) is an error, and so is a line the table didn't
 * take, or took changed (a trigger or rule on the log's table that is none
 * of the plugin's: Log health names it): what it records must not go on
 * unlogged, nor logged as someone else's. A changed line fails its own
 * statement, so it is not in the log either.
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
    const occurredAt = eventTime(input)
    const [kept] = await run(SAME_EVENT_SQL, [...line.slice(2), occurredAt, input.event_id])
    if (kept) {
      if (kept.same === true && kept.in_time === true) {
        return false
      }
      if (kept.same === true) {
        throw otherwiseDated(input, String(kept.created_at), occurredAt)
      }
      if ((await run(ERASED_SAME_EVENT_SQL, erasedSameEventValues(line, occurredAt))).length) {
        return false
      }
      throw otherwiseLogged(input)
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

/** With `refused`'s code, so callers treat both alike: not retried (the next try finds the same line), what the line records undone. */
function otherwiseLogged(input: RecordLogEntryInput): MedusaError {
  return new MedusaError(
    MedusaError.Types.UNEXPECTED_STATE,
    `Login as Customer: the log already holds a line for event "${input.event_id}" that says otherwise (not what this "${input.action}" line records); what it records was not done`,
    LOG_LINE_REFUSED
  )
}

/** Like otherwiseLogged: a line that records the same, but dated where no write of the event could be. */
function otherwiseDated(input: RecordLogEntryInput, createdAt: string, occurredAt: string | null): MedusaError {
  return new MedusaError(
    MedusaError.Types.UNEXPECTED_STATE,
    `Login as Customer: the log already holds a line for event "${input.event_id}" dated ${createdAt}, ${
      occurredAt ? `not between ${EVENT_CLOCK_SKEW} before the event (${occurredAt}) and now` : "after now"
    }; what this "${input.action}" line records was not done`,
    LOG_LINE_REFUSED
  )
}
