import type { LogEntryDTO, LogFilter } from "../../../types"
import type { ModuleManager } from "./sql"

/** A log row as the list and the export read it. */
export type LogEntryRow = Omit<LogEntryDTO, "event_id">

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/**
 * The searched columns joined into one text, the expression the trigram index
 * `IDX_login_as_customer_log_entry_search_trgm` is built on (keep them equal:
 * migration Migration20261201005501): emails, action, ids and the reason
 * (where a ticket reference is).
 */
export const LOG_SEARCH_TEXT = `(coalesce("user_email", '') || ' ' || coalesce("customer_email", '') || ' ' || "action" || ' ' || coalesce("session_id", '') || ' ' || coalesce("customer_id", '') || ' ' || coalesce("user_id", '') || ' ' || coalesce("details" ->> 'reason', ''))`
/**
 * The searched columns one by one, for the exact check of a text: the emails
 * first, which most searches look for, as the check stops at the first
 * column holding the text.
 */
const SEARCHED = [`"customer_email"`, `"user_email"`, `"customer_id"`, `"user_id"`, `"session_id"`, `"action"`, `("details" ->> 'reason')`]

/**
 * What separates the searched text's words: runs of ASCII spaces and
 * punctuation (`@`, `.`, `_`, `-`, …). Kept equal in SQL (LOG_SEARCH_WORDS)
 * and in JavaScript (searchWords in log-search.ts).
 */
const SEPARATOR_CLASS = "\\x20-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7e"
export const LOG_WORD_SEPARATORS = `[${SEPARATOR_CLASS}]+`

/**
 * The words index holds a longer word as its pieces of this many characters
 * (a GIN entry holds at most 2 712 bytes: one longer word, in an email or a
 * reason someone lengthened in Medusa's tables or the session's row, made
 * every insert of its lines fail). Words of the search text longer than
 * LOG_INDEX_WORD_LOOKUP_CHARS are not looked up there (lower case can
 * lengthen a word; the trigram index finds them).
 */
export const LOG_INDEX_WORD_CHARS = 200
export const LOG_INDEX_WORD_LOOKUP_CHARS = 100

/**
 * The searched text in lower case, split into its words: the expression the
 * GIN index `IDX_login_as_customer_log_entry_search_words` is built on (keep
 * them equal: migration Migration20261204150001), a word longer than
 * LOG_INDEX_WORD_CHARS cut in pieces. A word of the search text
 * with a separator on each side (`yilmaz4242` in `emma.yilmaz4242@`) is a
 * whole word of every line holding the text: its lines are one posting list,
 * looked up exactly, where the trigram index intersects a list per trigram.
 */
export const LOG_SEARCH_WORDS = `regexp_split_to_array(regexp_replace(lower(${LOG_SEARCH_TEXT}), '([^${SEPARATOR_CLASS}]{${LOG_INDEX_WORD_CHARS}})', '\\1 ', 'g'), '${LOG_WORD_SEPARATORS}')`

/** Up to this many matches, the log list's `count` is exact; past it, an estimate. */
export const LOG_COUNT_EXACT_UP_TO = 10_000


type Condition = { sql: string; params: unknown[] }

/**
 * How the text filter finds its lines: the text's whole words (searchWords),
 * else its rare parts (rareSearchParts); or, with `scan`, through no index of
 * the text: it is checked on each line the other filters' indexes find.
 */
export type SearchLookup = { words?: string[]; rareParts?: string[]; scan?: boolean }

/**
 * `"column" = ?` for one value, `"column" in (?, …)` for several: PostgreSQL
 * reads the list as `= any(array[…])`, and either walks the column's index.
 */
function oneOf(column: string, values: string | string[] | undefined): Condition | null {
  const list = values === undefined ? [] : [...new Set(Array.isArray(values) ? values : [values])]
  if (!list.length) {
    return null
  }
  return list.length === 1
    ? { sql: `"${column}" = ?`, params: list }
    : { sql: `"${column}" in (${list.map(() => "?").join(", ")})`, params: list }
}

/**
 * The text filter `q`: a literal, case-insensitive substring of one of the
 * searched columns. An index finds the lines first: given `words`
 * (searchWords), the words index, else the trigram index on the joined text
 * (given `rareParts`, only those parts of the text are looked up there).
 * Then the text itself is checked in each column apart (ILIKE is LIKE on
 * both sides lowered), as a match spanning two columns in the joined text
 * is not a match. Lines of the admins and customers found by name
 * (`q_user_ids`, `q_customer_ids`) match too, through their columns' indexes.
 */
export function searchCondition(filter: LogFilter, lookup: SearchLookup = {}): Condition {
  const pattern = `%${escapeLike(filter.q!)}%`
  const words = lookup.words ?? []
  const parts = lookup.rareParts ?? []
  // Given the text's rare parts (rareSearchParts), the index looks up only
  // those: the whole text on the same expression would be looked up too.
  const looked = parts.length ? parts.map((part) => `%${escapeLike(part)}%`) : [pattern]
  const index: Condition = words.length
    ? { sql: `${LOG_SEARCH_WORDS} @> array[${words.map(() => "lower(?)").join(", ")}]::text[]`, params: words }
    : { sql: looked.map(() => `${LOG_SEARCH_TEXT} ilike ?`).join(" and "), params: looked }
  // Found through the index, the whole text is checked in each column apart
  // (a match can't span two), lowered as ILIKE does: at ten million lines
  // that costs half of lowering the joined text for every line found. The
  // whole text looked up on the joined text needs no check unless it holds
  // a space (the columns are joined by spaces).
  const exact: Condition = { sql: `(${SEARCHED.map((c) => `lower(${c}) like lower(?)`).join(" or ")})`, params: SEARCHED.map(() => pattern) }
  const checked = words.length > 0 || parts.length > 0 || filter.q!.includes(" ")
  const any = [
    lookup.scan ? exact : checked ? { sql: `(${index.sql} and ${exact.sql})`, params: [...index.params, ...exact.params] } : index,
    oneOf("user_id", filter.q_user_ids),
    oneOf("customer_id", filter.q_customer_ids),
  ].filter((part): part is Condition => part !== null)
  return {
    sql: `(${any.map((part) => part.sql).join(" or ")})`,
    params: any.flatMap((part) => part.params),
  }
}

/**
 * Whether one index range gives the filter's lines in the list's order: no
 * text, and at most one value of each column (each has an index on it and
 * the time). A text's lines come from its own indexes in no order, and
 * several values of a column from as many ranges: read in order through
 * the time's index instead, they would be every line of the log.
 */
export function inIndexOrder(filter: LogFilter): boolean {
  return (
    !filter.q &&
    (["action", "user_id", "customer_id", "session_id"] as const).every((column) => {
      const values = filter[column]
      return values === undefined || new Set(Array.isArray(values) ? values : [values]).size <= 1
    })
  )
}

/** The log filter as SQL conditions with bound parameters (never interpolated). */
export function logWhere(
  filter: LogFilter,
  options: { search?: boolean } & SearchLookup = {}
): { where: string[]; params: unknown[] } {
  const where = [`"deleted_at" is null`]
  const params: unknown[] = []
  for (const column of ["action", "user_id", "customer_id", "session_id"] as const) {
    const condition = oneOf(column, filter[column])
    if (condition) {
      where.push(condition.sql)
      params.push(...condition.params)
    }
  }
  // A text goes to PostgreSQL as it is (to the microsecond; Date keeps milliseconds).
  if (filter.created_at?.gte) {
    where.push(`"created_at" >= ?::timestamptz`)
    params.push(filter.created_at.gte)
  }
  if (filter.created_at?.lte) {
    where.push(`"created_at" <= ?::timestamptz`)
    params.push(filter.created_at.lte)
  }
  if (filter.q && options.search !== false) {
    const search = searchCondition(filter, options)
    where.push(search.sql)
    params.push(...search.params)
  }
  return { where, params }
}

/** The planner's estimate of how many log rows match (from `EXPLAIN`, nothing executed). */
export async function estimateLogRows(manager: ModuleManager, where: string[], params: unknown[]): Promise<number> {
  const [row] = await manager.execute<Array<Record<string, unknown>>>(
    `explain (format json) select 1 from "login_as_customer_log_entry" where ${where.join(" and ")}`,
    params
  )
  const raw = row?.["QUERY PLAN"]
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as Array<{ Plan: { "Plan Rows": number } }>
  return Math.round(plan?.[0]?.Plan?.["Plan Rows"] ?? 0)
}
