/**
 * The log export's CSV line, written by PostgreSQL: cell for cell what
 * `csvExportLine` (src/lib/csv.ts) makes of the row in JavaScript (the
 * export's test compares them), so the server's process only joins text.
 * Building each line in JavaScript from a row object was most of an export's
 * time and memory (a string per column and an object per row).
 */

/** A cell needs care: it holds a quote, comma or line break, or starts like a formula. */
const NEEDS_CARE = `'[",\\r\\n]|^[=+\\-@\\t\\r]'`

/**
 * csvCell in SQL for a text expression: empty for null; a formula start
 * (`= + - @`, tab, CR) defused with a leading `'`; quoted, quotes doubled,
 * when it holds a quote, comma or line break.
 */
function cellSql(value: string): string {
  return `(case when ${value} is null then '' when ${value} !~ ${NEEDS_CARE} then ${value}
    else (select case when d."t" ~ '[",\\r\\n]' then '"' || pg_catalog.replace(d."t", '"', '""') || '"' else d."t" end
            from (select case when ${value} ~ '^[=+\\-@\\t\\r]' then '''' || ${value} else ${value} end as "t") d) end)`
}

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
  ${cellSql(`("details"::text)`)} || ',' || ${cellSql(`"id"`)} || E'\\r\\n'`
