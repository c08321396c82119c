/**
 * The log export's columns as PostgreSQL writes them with `COPY … TO STDOUT
 * (FORMAT csv)`: cell for cell what `csvExportLine` (src/lib/csv.ts) makes of
 * the row in JavaScript (the export's tests compare the export with csvRow
 * of the list's rows). COPY's own CSV writer quotes a cell exactly when
 * csvCell does (it holds a quote, comma or line break; quotes doubled), so
 * SQL only defuses formula starts and turns an empty text into a null (COPY
 * quotes an empty string to tell it from a null; csvCell writes neither).
 * The rows end with a bare line feed: `CopyRows` (log-csv-copy.ts) makes
 * them CRLF, and writes the time as toISOString does.
 */

/** `= + - @`, tab and carriage return, the characters a formula starts with, as ascii() gives them. */
const FORMULA_STARTS = [61, 43, 45, 64, 9, 13]

/**
 * csvCell's text for a text expression, before COPY quotes it: null for
 * null or empty, a formula start defused with a leading `'`, otherwise the
 * text as it is. Every one of those starts below `A` (ascii 65; 0 for an
 * empty text), so most cells cost one ascii() and one comparison: a regular
 * expression per cell cost more than the rest of the row.
 */
function cellSql(value: string): string {
  return `(case when pg_catalog.ascii(${value}) < 65 then (case pg_catalog.ascii(${value}) when 0 then null
      ${FORMULA_STARTS.map((code) => `when ${code} then '''' || ${value}`).join(" ")}
      else ${value} end)
    else ${value} end)`
}

/** The export's text columns between the time and `details`, in order (LOG_EXPORT_COLUMNS). */
const COLUMNS = [
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
 * `details` as its JSON text: an object's (the usual case) starts with `{`
 * and needs no defusing, which jsonb_typeof tells without writing the text
 * twice; any other JSON goes through cellSql.
 */
const DETAILS_SQL = `(case when pg_catalog.jsonb_typeof("details") = 'object' then "details"::text else ${cellSql(`("details"::text)`)} end)`

/**
 * The select list of the export's COPY: the time in UTC as a `timestamp`
 * (copyCsvTo writes it as toISOString does: PostgreSQL's own output of it
 * costs a fifth of `to_char(…, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`), then
 * each cell.
 */
export const LOG_CSV_COLUMNS_SQL = [
  `("created_at" at time zone 'UTC')`,
  ...COLUMNS.map(cellSql),
  DETAILS_SQL,
  cellSql(`"id"`),
].join(",\n  ")
