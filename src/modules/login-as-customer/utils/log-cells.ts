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
 * start of a compressed or out-of-line value. `details` is the exception
 * to "cheap": its text is made before it can be measured, so a `details`
 * holding a number whose text is long (hasLongNumbers) is cut without its
 * text ever being made. The log itself keeps the whole row (its digest
 * covers it), and SQL reads it whole.
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
 * `details`' text is measured whole: its stored size says little (a number
 * such as `1e131071` is a few bytes stored and 131 072 digits as text, so
 * 600 bytes stored were 262 MB written out).
 */
const detailsText = `"details"::text`

/**
 * Whether a jsonb holds a number whose text is long: past ±1e100, or
 * nearer zero than ±1e-100. Only such numbers make a text out of
 * proportion to the stored value (one within those bounds writes at most
 * about 100 digits besides those it stores), and PostgreSQL writes the
 * whole text before `octet_length` or `left` can read it: 500 numbers
 * `1e131071`, a few kB stored, are 65 MB as text, which took a list page 44 s
 * and 12 pages at once the whole connection pool, and 10 000 of them are
 * past PostgreSQL's 1 GB bound on a text, which failed the page outright.
 * The test walks the stored jsonb, never its text, so it stands before
 * every `details::text`, in a CASE (whose branches PostgreSQL evaluates
 * only when reached).
 */
export const LONG_NUMBERS_PATH = `strict $.** ? (@.type() == "number" && (@ > 1e100 || @ < -1e100 || (@ < 1e-100 && @ > -1e-100 && @ != 0)))`
/** The path as an SQL literal, its `?` written `\x3f`: knex reads a bare `?` as a value's place. */
const LONG_NUMBERS_SQL = `E'${LONG_NUMBERS_PATH.replace("?", "\\x3f")}'`
export const hasLongNumbers = (jsonb: string) => `jsonb_path_exists(${jsonb}, ${LONG_NUMBERS_SQL})`

/** The note of detailsNumbersCut on a `details` whose text holds a long number. */
export const LONG_NUMBERS_NOTE = "too long to show"

/** `details` nested deeper than this many levels (none of the plugin's is deeper than 4) is cut in the list. */
export const LOG_DETAILS_MAX_DEPTH = 32

/**
 * `details ->> key` as a cut `details` keeps it, bounded. An object or array
 * there holding a long number is left out (null): its text is as long as
 * the numbers make it. A lone long number is kept, bounded: its text is at
 * most about 131 kB.
 */
const cutKeyText = (key: "reason" | "mode") =>
  `case when jsonb_typeof("details" -> '${key}') in ('object', 'array') and ${hasLongNumbers(`("details" -> '${key}')`)}
    then null else ${boundedText(`("details" ->> '${key}')`)} end`

/**
 * One of `details`' texts (`reason`, `mode`), as the export's column shows
 * it and the list's cut `details` holds it: bounded when `details`' text
 * (`text`) is longer than LOG_CELL_MAX_BYTES or `details` holds a long
 * number (`longNumbers`, a boolean expression; then `text` is null, never
 * made).
 */
export const boundedDetailsText = (key: "reason" | "mode", text = detailsText, longNumbers = hasLongNumbers(`"details"`)) =>
  `case when ${longNumbers} or octet_length(${text}) > ${LOG_CELL_MAX_BYTES} then ${cutKeyText(key)} else "details" ->> '${key}' end`

/**
 * What stands for a `details` cut: `{ cut: { bytes, start }, reason, mode }`,
 * `start` being its text's first LOG_CELL_KEPT_CHARS characters, `reason`
 * and `mode` kept (each bounded) for the list's columns.
 */
export const detailsCut = (text = detailsText) => `jsonb_strip_nulls(jsonb_build_object(
      'cut', jsonb_build_object('bytes', octet_length(${text}), 'start', left(${text}, ${LOG_CELL_KEPT_CHARS})),
      'reason', ${cutKeyText("reason")},
      'mode', ${cutKeyText("mode")}))`

/**
 * What stands for a `details` holding a long number (hasLongNumbers):
 * `{ cut: { stored, numbers: "too long to show" }, reason, mode }`, `stored`
 * being its stored bytes (`pg_column_size`, compressed or not). It has no
 * `bytes` and `start` as detailsCut's: both would make the text, the very
 * thing too long to make. `reason` and `mode` are kept as detailsCut keeps
 * them.
 */
export const detailsNumbersCut = () => `jsonb_strip_nulls(jsonb_build_object(
      'cut', jsonb_build_object('stored', pg_column_size("details"), 'numbers', '${LONG_NUMBERS_NOTE}'),
      'reason', ${cutKeyText("reason")},
      'mode', ${cutKeyText("mode")}))`

/**
 * `details` as the list shows it: cut (detailsNumbersCut) when it holds a
 * long number, tested first so that its text is never made; else cut
 * (detailsCut) when its text is longer than LOG_CELL_MAX_BYTES or it is
 * nested deeper than LOG_DETAILS_MAX_DEPTH levels (one of 6 000 levels made
 * the list's answer fail: JSON.stringify ran out of stack). The export
 * writes a deep one's text as it is.
 */
export const LIST_DETAILS = `case when "details" is null then null
    when ${hasLongNumbers(`"details"`)} then ${detailsNumbersCut()}
    when octet_length(${detailsText}) <= ${LOG_CELL_MAX_BYTES}
          and not jsonb_path_exists("details", 'strict $.**{${LOG_DETAILS_MAX_DEPTH + 1} to last}')
    then "details" else ${detailsCut()} end`

const TEXT_COLUMNS = ["action", "actor_type", "actor_id", "user_id", "user_email", "customer_id", "customer_email", "session_id"]

/** The list's columns as the table holds them. */
const PLAIN_COLUMNS = [`"id"`, ...TEXT_COLUMNS.map((column) => `"${column}"`), `"details"`, `"created_at"`].join(", ")

/** The list's columns, as LogEntryRow holds them, every text bounded. */
export const LOG_COLUMNS = [
  `"id"`,
  ...TEXT_COLUMNS.map((column) => `${boundedText(`"${column}"`)} as "${column}"`),
  `${LIST_DETAILS} as "details"`,
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
  // Only the list's columns are sorted: a deep page sorts every line before it.
  return `with "page" as (select ${PLAIN_COLUMNS} from ${source} where ${where} ${order} limit ? offset ?)
       select ${LOG_COLUMNS} from "page" ${order}`
}
