/**
 * The log export's CSV line, written by PostgreSQL: cell for cell what
 * `csvExportLine` (src/lib/csv.ts) makes of the row in JavaScript (the
 * export's tests compare the export with csvRow of the list's rows), so the
 * server's process only joins text. Building each line in JavaScript from a
 * row object was most of an export's time and memory (a string per column
 * and an object per row).
 */

/** A cell needs care: it holds a quote, comma or line break, or starts like a formula. */
const NEEDS_CARE = `'[",\\r\\n]|^[=+\\-@\\t\\r]'`

/**
 * csvCell in SQL for a text expression: empty for null; a formula start
 * (`= + - @`, tab, CR) defused with a leading `'`; quoted, quotes doubled,
 * when it holds a quote, comma or line break (the `'` adds none of those).
 * No subquery: one per row and cell cost more than the rest of the line.
 */
function cellSql(value: string): string {
  return `(case when ${value} is null then '' when ${value} !~ ${NEEDS_CARE} then ${value}
    when ${value} ~ '^[=+\\-@\\t\\r]'
      then (case when ${value} ~ '[",\\r\\n]' then '"''' || pg_catalog.replace(${value}, '"', '""') || '"' else '''' || ${value} end)
    else '"' || pg_catalog.replace(${value}, '"', '""') || '"' end)`
}

/**
 * `details` as a cell: an object's JSON text (the usual case) starts with
 * `{` and holds a quote unless empty, and PostgreSQL writes no line break in
 * it, so it is quoted without a check; any other JSON goes through cellSql.
 */
const DETAILS_CELL_SQL = `(case when "details" is null then ''
    when pg_catalog.jsonb_typeof("details") = 'object'
      then (case when "details" = '{}'::jsonb then '{}' else '"' || pg_catalog.replace("details"::text, '"', '""') || '"' end)
    else ${cellSql(`("details"::text)`)} end)`

/** The columns between the time and `details`, in the export's order (LOG_EXPORT_COLUMNS). */
const MIDDLE = [
  `"action"`,
  `"user_id"`,
  `"user_email"`,
  `"customer_id"`,
  `"customer_email"`,
  `("details" ->> 'reason')`,
  `("details" ->> 'mode')`,
  `"session_id"`,
  `"actor_type"`,
  `"actor_id"`,
]

/**
 * One CSV line (CRLF) of a log row. Most rows need no care in any of the
 * middle columns: one regular expression over them joined by \x01 (nulls
 * skipped) tells, and they are then joined as they are; otherwise each cell
 * is checked on its own. The time is toISOString's (UTC, milliseconds).
 */
export const LOG_CSV_LINE_SQL = `pg_catalog.to_char("created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ',' ||
  (case when pg_catalog.concat_ws(E'\\x01', ${MIDDLE.join(", ")}) ~ '[",\\r\\n]|(^|\\x01)[=+\\-@\\t\\r]'
        then ${MIDDLE.map(cellSql).join(` || ',' || `)}
        else ${MIDDLE.map((column) => `coalesce(${column}, '')`).join(` || ',' || `)} end) || ',' ||
  ${DETAILS_CELL_SQL} || ',' || ${cellSql(`"id"`)} || E'\\r\\n'`
