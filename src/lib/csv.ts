/** A cell that must be quoted or defused; most cells are neither. */
const NEEDS_CARE = /[",;\t\r\n]|^[=+\-@\t\r]/
/**
 * A cell that must be quoted: it holds a quote, a line break or a separator
 * of any dialect. A spreadsheet in a European locale splits lines at `;`,
 * a tab-separated import at tabs: unquoted, `a;=HYPERLINK(…)` would end in
 * a cell of its own that starts like a formula.
 */
const NEEDS_QUOTES = /[",;\t\r\n]/
/**
 * A formula start (or a quote) after a `;`, tab, line break (or comma, see
 * defuseInner) inside a cell: where a reader that splits there (a European
 * locale's `;`, a tab-separated import, one that takes no quote inside a
 * field) would start a cell of its own. Defused with `'` after the separator.
 */
const INNER_FORMULA = /([;\t\r\n,])(?=[=+\-@\t\r"])/g

/**
 * The text with INNER_FORMULA's starts defused; a comma counts only after a
 * line break in the cell: a reader that ends lines at any line break reads
 * what follows one as a line of its own, unquoted, split at its commas.
 */
function defuseInner(text: string): string {
  const lineBreak = text.search(/[\r\n]/)
  return text.replace(INNER_FORMULA, (found, separator: string, at: number) =>
    separator === "," && (lineBreak < 0 || at < lineBreak) ? found : `${separator}'`
  )
}

/**
 * One CSV cell: quoted when it holds a quote, comma, semicolon, tab or line
 * break, and made inert for spreadsheets when it starts like a formula
 * (`= + - @`, tab, CR), or holds one after a `;`, tab or line break.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) {
    return ""
  }
  let text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value)
  if (!NEEDS_CARE.test(text)) {
    return text
  }
  if (/^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`
  }
  return NEEDS_QUOTES.test(text) ? `"${defuseInner(text).replace(/"/g, '""')}"` : text
}

/** One CSV line (CRLF, as RFC 4180 has it). */
export function csvRow(values: unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`
}

/** The log export's columns, in order. */
export const LOG_EXPORT_COLUMNS = [
  "created_at",
  "action",
  "user_id",
  "user_email",
  "customer_id",
  "customer_email",
  // The admin's reason and the session's mode, as the log's table shows them (also in details).
  "reason",
  "mode",
  "session_id",
  "actor_type",
  "actor_id",
  "details",
  "id",
] as const

/**
 * A log row as the export reads it: every column as PostgreSQL's text,
 * `created_at` as a UTC timestamp in ISO style (`2026-05-27 00:55:21.231635`)
 * and `details` as JSON text, so no Date or object is made per row.
 */
export type ExportRow = Record<(typeof LOG_EXPORT_COLUMNS)[number], string | null>

/** `2026-05-27 00:55:21.231635` (UTC) as toISOString writes it: `2026-05-27T00:55:21.231Z`. */
export function isoFromUtcTimestamp(text: string): string {
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${`${text.slice(20, 23)}000`.slice(0, 3)}Z`
}

/**
 * Whether a `timestamp`'s text (DateStyle ISO) is one isoFromUtcTimestamp
 * reads: not `infinity` nor `-infinity`, no year past 9999, no date BC.
 */
export function isUtcIsoTimestamp(text: string): boolean {
  return /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?$/.test(text)
}

/**
 * The export's time cell of a `timestamp`'s text in UTC: as toISOString
 * writes it, or, when it is none isoFromUtcTimestamp reads, as any text
 * cell (`-infinity` starts like a formula: `'-infinity`).
 */
export function exportTimeCell(text: string | null): string {
  return text == null ? "" : isUtcIsoTimestamp(text) ? isoFromUtcTimestamp(text) : csvCell(text)
}

/** One line of the log export, cell for cell what csvRow makes of the row the log list returns. */
export function csvExportLine(row: ExportRow): string {
  return (
    `${exportTimeCell(row.created_at)},${csvCell(row.action)},` +
    `${csvCell(row.user_id)},${csvCell(row.user_email)},${csvCell(row.customer_id)},` +
    `${csvCell(row.customer_email)},${csvCell(row.reason)},${csvCell(row.mode)},` +
    `${csvCell(row.session_id)},${csvCell(row.actor_type)},` +
    `${csvCell(row.actor_id)},${csvCell(row.details)},${csvCell(row.id)}\r\n`
  )
}
