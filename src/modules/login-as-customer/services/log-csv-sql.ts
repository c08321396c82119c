import { boundedDetailsText, boundedText, detailsCut, detailsNumbersCut, hasLongNumbers, LOG_CELL_MAX_BYTES } from "../utils/log-cells"

/** Whether `details` holds a long number (log-cells' hasLongNumbers), tested once a row (LOG_EXPORT_FROM). */
const LONG_NUMBERS = `"lac_details"."long_numbers"`

/** `details`' text, made once a row (LOG_EXPORT_FROM); null when it holds a long number. */
const DETAILS_TEXT = `"lac_details"."text"`

/**
 * The export's rows with, beside each, whether `details` holds a long
 * number and, only when it doesn't, `details`' text, each made once: a
 * subquery's `offset 0` keeps PostgreSQL from writing its expression into
 * each of the places that read it. The test comes first, in a subquery of
 * its own, and the text in a CASE on it: a subquery's select list is
 * evaluated whole, so the text beside the test would be made before the
 * test could spare it (65 MB for 500 numbers `1e131071`, past 1 GB, and so
 * an error, for 10 000).
 */
export const LOG_EXPORT_FROM = `"login_as_customer_log_entry" cross join lateral (
    select "long_numbers", case when "long_numbers" then null else "details"::text end as "text"
      from (select ${hasLongNumbers(`"details"`)} as "long_numbers" offset 0) "lac_numbers" offset 0) "lac_details"`

/**
 * The log export's columns as texts, in the order of LOG_EXPORT_COLUMNS
 * (src/lib/csv.ts), for `COPY … TO STDOUT (FORMAT binary)`: PostgreSQL sends
 * each cell's bytes as they are and `CopyRows` (log-csv-rows.ts) writes the
 * CSV line, cell for cell what `csvExportLine` makes of the row in
 * JavaScript (the export's tests compare the export with csvRow of the
 * list's rows). Before, PostgreSQL wrote the CSV itself (`FORMAT csv`) and
 * defused formula starts with an `ascii()` test per cell: 3.5 µs of the
 * backend a row against 2.6 µs now, at a million rows over a socket, and
 * the backend is what bounds the export.
 *
 * The time first, in UTC as a `timestamp`'s text (CopyRows writes it as
 * toISOString does: PostgreSQL's own text of it costs a fifth of
 * `to_char(…, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`), `details` last but one as
 * its JSON text. Every text is bounded as the list's (log-cells.ts), so a
 * cut cell is the same in both.
 */
export const LOG_CSV_COLUMNS_SQL = [
  `("created_at" at time zone 'UTC')::text`,
  boundedText(`"action"`),
  boundedText(`"user_id"`),
  boundedText(`"user_email"`),
  boundedText(`"customer_id"`),
  boundedText(`"customer_email"`),
  boundedDetailsText("reason", DETAILS_TEXT, LONG_NUMBERS),
  boundedDetailsText("mode", DETAILS_TEXT, LONG_NUMBERS),
  boundedText(`"session_id"`),
  boundedText(`"actor_type"`),
  boundedText(`"actor_id"`),
  `case when ${LONG_NUMBERS} then (${detailsNumbersCut()})::text
    when ${DETAILS_TEXT} is null or octet_length(${DETAILS_TEXT}) <= ${LOG_CELL_MAX_BYTES} then ${DETAILS_TEXT}
    else (${detailsCut(DETAILS_TEXT)})::text end`,
  `"id"`,
].join(",\n  ")

/**
 * The export's select for a filter (`where`, its values written in) in the
 * list's order. The order names the table's columns, never the select
 * list's cells (a bare name is an output column's first).
 */
export function logExportSelect(where: string, direction: "asc" | "desc"): string {
  return `select ${LOG_CSV_COLUMNS_SQL}
         from ${LOG_EXPORT_FROM}
        where ${where}
        order by "login_as_customer_log_entry"."created_at" ${direction}, "login_as_customer_log_entry"."id" ${direction}`
}
