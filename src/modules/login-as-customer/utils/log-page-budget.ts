import type { LogEntryRow } from "./log-sql"
import { cutNote, LONG_NUMBERS_NOTE } from "./log-cells"

/**
 * A list page's budget of JSON. Each cell is bounded in SQL by its bytes
 * (log-cells.ts), but JSON writes a control character in six: a page of
 * lines whose cells SQL filled with them was still about 100 MB (the
 * server stalled seconds writing it, and the admin's browser with it). A
 * normal page of 200 lines is about 100 kB, one of 200 lines each holding
 * a whole cell of the bound about 7 MB.
 */
export const LOG_PAGE_MAX_JSON_BYTES = 8 * 1024 * 1024

/** What a cell of a line past the page's budget keeps, in characters. */
export const LOG_PAGE_CUT_CHARS = 256

const TEXT_KEYS = [
  "action",
  "actor_type",
  "actor_id",
  "user_id",
  "user_email",
  "customer_id",
  "customer_email",
  "session_id",
] as const

/** The bytes of `text` written as a JSON string, as JSON.stringify escapes it, in UTF-8. */
export function jsonTextBytes(text: string): number {
  let bytes = 2
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20) {
      // \b \t \n \f \r have short escapes, the others are \u00XX.
      bytes += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6
    } else if (c === 0x22 || c === 0x5c) {
      bytes += 2
    } else if (c < 0x80) {
      bytes += 1
    } else if (c < 0x800) {
      bytes += 2
    } else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4
      i++
    } else {
      // A lone surrogate is escaped \uXXXX; any other unit is three bytes.
      bytes += c >= 0xd800 && c <= 0xdfff ? 6 : 3
    }
  }
  return bytes
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff

/** The JSON bytes of a line: its cells, and about what its keys and punctuation add. */
function rowJsonBytes(row: LogEntryRow): number {
  let bytes = 200
  for (const key of TEXT_KEYS) {
    const value = row[key]
    if (typeof value === "string") bytes += jsonTextBytes(value)
  }
  return bytes + (row.details == null ? 0 : Buffer.byteLength(JSON.stringify(row.details)))
}

/** The first `chars` characters of `text` (whole code points). */
const start = (text: string, chars: number) => Array.from(text.slice(0, 2 * chars)).slice(0, chars).join("")

/** SQL's note after a cell it cut, which gives the cell's whole size. */
const SQL_CUT = / … \[cut: (\d+) bytes\]$/

/** A text cut to LOG_PAGE_CUT_CHARS, with the size of the whole (SQL's, when SQL cut it first). */
function cutText(text: string): string {
  if (text.length <= LOG_PAGE_CUT_CHARS) return text
  const sqlCut = SQL_CUT.exec(text)
  return start(text, LOG_PAGE_CUT_CHARS) + cutNote(sqlCut ? Number(sqlCut[1]) : Buffer.byteLength(text))
}

/** `details` as log-cells' `detailsCut` writes it: `{ cut: { bytes, start }, reason?, mode? }`. */
function isSqlCut(details: Record<string, unknown>): details is { cut: { bytes: number; start: string }; reason?: string; mode?: string } {
  const cut = details.cut as { bytes?: unknown; start?: unknown } | null
  return (
    typeof cut === "object" &&
    cut !== null &&
    typeof cut.bytes === "number" &&
    typeof cut.start === "string" &&
    onlyCutKeys(details)
  )
}

/**
 * `details` as log-cells' `detailsNumbersCut` writes it (a `details` holding
 * a number whose text is long): `{ cut: { stored, numbers }, reason?, mode? }`.
 * Its `cut` is small and kept as it is; only its texts are cut.
 */
function isSqlNumbersCut(details: Record<string, unknown>): details is { cut: { stored: number; numbers: string }; reason?: string; mode?: string } {
  const cut = details.cut as { stored?: unknown; numbers?: unknown } | null
  return (
    typeof cut === "object" &&
    cut !== null &&
    typeof cut.stored === "number" &&
    cut.numbers === LONG_NUMBERS_NOTE &&
    Object.keys(cut).length === 2 &&
    onlyCutKeys(details)
  )
}

const onlyCutKeys = (details: Record<string, unknown>) => Object.keys(details).every((key) => key === "cut" || key === "reason" || key === "mode")

/** `details` cut as SQL cuts it, its start and texts to LOG_PAGE_CUT_CHARS. */
function cutDetails(details: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(details)
  if (text.length <= LOG_PAGE_CUT_CHARS) return details
  let kept: Record<string, unknown>
  if (isSqlNumbersCut(details)) {
    kept = { cut: { stored: details.cut.stored, numbers: details.cut.numbers } }
  } else {
    const cut = isSqlCut(details) ? details.cut : { bytes: Buffer.byteLength(text), start: text }
    kept = { cut: { bytes: cut.bytes, start: start(cut.start, LOG_PAGE_CUT_CHARS) } }
  }
  for (const key of ["reason", "mode"]) {
    const value = details[key]
    // As `details ->> key` reads it: a text as it is, anything else as its JSON.
    if (value != null) kept[key] = cutText(typeof value === "string" ? value : JSON.stringify(value))
  }
  return kept
}

function cutRow<T extends LogEntryRow>(row: T): T {
  const cut: T = { ...row }
  for (const key of TEXT_KEYS) {
    const value = row[key]
    if (typeof value === "string") (cut as Record<string, unknown>)[key] = cutText(value)
  }
  if (row.details != null) cut.details = cutDetails(row.details as Record<string, unknown>)
  return cut
}

/**
 * A page whose JSON stays within LOG_PAGE_MAX_JSON_BYTES: its lines, in
 * order, as long as they fit; each one after that with every cell longer
 * than LOG_PAGE_CUT_CHARS cut (` … [cut: <bytes> bytes]`, the whole cell's
 * size). The export is not bounded so: it writes each line's cells as
 * log-cells.ts bounds them, streamed.
 */
export function withinPageBudget<T extends LogEntryRow>(rows: T[], budget = LOG_PAGE_MAX_JSON_BYTES): T[] {
  let used = 0
  return rows.map((row) => {
    if (used <= budget) {
      used += rowJsonBytes(row)
      if (used <= budget) return row
    }
    return cutRow(row)
  })
}
