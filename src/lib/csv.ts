/**
 * One CSV cell: quoted when it holds a quote, comma or line break, and made
 * inert for spreadsheets when it starts like a formula (`= + - @`, tab, CR).
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
  if (/^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One CSV line (CRLF, as RFC 4180 has it). */
export function csvRow(values: unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`
}
