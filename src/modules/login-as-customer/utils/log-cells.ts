/**
 * The bound on a cell of the log's list and export. The routes bound every
 * field they write (a reason to 500 characters, ids to 200), but SQL can
 * write a row of hundreds of megabytes: held whole, such a row stalled the
 * server for seconds (a list page with a 300 MB row: 22 s) and one past
 * 512 MB can't be a JavaScript string at all. So a text longer than
 * LOG_CELL_MAX_BYTES is cut in SQL, before it leaves PostgreSQL, to its
 * first LOG_CELL_KEPT_CHARS characters and a note of its size; no
 * spreadsheet shows more anyway (Excel's cell holds 32 767 characters).
 * `octet_length` of a text reads only its header, and `left` only the
 * start of a compressed or out-of-line value. The log itself keeps the
 * whole row (its digest covers it), and SQL reads it whole.
 *
 * The id and the time are never cut: the list orders by their bare names
 * (which would name a select list's cell first), and the id's unique index
 * holds at most about 2.7 kB of it.
 */
export const LOG_CELL_MAX_BYTES = 32_767
export const LOG_CELL_KEPT_CHARS = 8_192

/** The note after a cut cell's start: ` … [cut: <bytes> bytes]`. */
export const cutNote = (bytes: number) => ` … [cut: ${bytes} bytes]`

/** A text expression, cut when it is longer than LOG_CELL_MAX_BYTES. */
export function boundedText(expression: string): string {
  return `case when octet_length(${expression}) > ${LOG_CELL_MAX_BYTES}
    then left(${expression}, ${LOG_CELL_KEPT_CHARS}) || ' … [cut: ' || octet_length(${expression}) || ' bytes]'
    else ${expression} end`
}

/**
 * `details` is stored in under this many bytes on nearly every line (a store
 * action's is a few hundred): `pg_column_size` reads the stored size from
 * the value's header, and only a larger value is written out as a text to
 * be measured. Compressed, a value stored in fewer bytes can still be a
 * text of a few hundred kilobytes, which is let through.
 */
const DETAILS_STORED_BYTES = 2_000

const detailsIsSmall = `coalesce(pg_column_size("details"), 0) <= ${DETAILS_STORED_BYTES}`

/**
 * One of `details`' texts (`reason`, `mode`), as the list's `details` holds
 * it and the export's column shows it.
 */
export const boundedDetailsText = (key: "reason" | "mode") =>
  `case when ${detailsIsSmall} then "details" ->> '${key}' else ${boundedText(`("details" ->> '${key}')`)} end`

/**
 * `details`, or when its text is longer than LOG_CELL_MAX_BYTES, an object
 * that says so: `{ cut: { bytes, start }, reason, mode }`, `start` being the
 * text's first LOG_CELL_KEPT_CHARS characters and `reason` and `mode` kept
 * (each bounded) for the list's columns.
 */
export const LOG_DETAILS_BOUNDED = `case when ${detailsIsSmall} or octet_length("details"::text) <= ${LOG_CELL_MAX_BYTES}
    then "details"
    else jsonb_strip_nulls(jsonb_build_object(
      'cut', jsonb_build_object('bytes', octet_length("details"::text), 'start', left("details"::text, ${LOG_CELL_KEPT_CHARS})),
      'reason', ${boundedDetailsText("reason")},
      'mode', ${boundedDetailsText("mode")})) end`

/** The list's columns, as LogEntryRow holds them, every text bounded. */
export const LOG_COLUMNS = [
  `"id"`,
  ...["action", "actor_type", "actor_id", "user_id", "user_email", "customer_id", "customer_email", "session_id"].map(
    (column) => `${boundedText(`"${column}"`)} as "${column}"`
  ),
  `${LOG_DETAILS_BOUNDED} as "details"`,
  `"created_at"`,
].join(", ")

/**
 * A page of `source`'s rows that `where` keeps (`limit ? offset ?`) in the
 * list's order, their cells bounded. The long select list comes last, so
 * that the statement's start, where it reads and in what order, is what
 * `pg_stat_activity` shows (it keeps a statement's first 1 024 bytes).
 */
export function boundedPage(source: string, where: string, direction: "asc" | "desc"): string {
  const order = `order by "created_at" ${direction}, "id" ${direction}`
  return `with "page" as (select * from ${source} where ${where} ${order} limit ? offset ?)
       select ${LOG_COLUMNS} from "page" ${order}`
}
