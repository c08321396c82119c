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
const SEARCHED = [`"user_email"`, `"customer_email"`, `"action"`, `"session_id"`, `"customer_id"`, `"user_id"`, `("details" ->> 'reason')`]

/** Up to this many matches, the log list's `count` is exact; past it, an estimate. */
export const LOG_COUNT_EXACT_UP_TO = 10_000

export const LOG_COLUMNS = `"id", "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id",
              "customer_email", "session_id", "details", "created_at"`

type Condition = { sql: string; params: unknown[] }

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
 * searched columns. The joined text is matched first (the trigram index
 * answers it; given `rareParts`, only those parts of the text are looked up
 * there), then each column exactly: a match spanning two columns in the
 * joined text is not a match. Lines of the admins and customers found by
 * name (`q_user_ids`, `q_customer_ids`) match too, through their columns'
 * indexes.
 */
export function searchCondition(filter: LogFilter, rareParts: string[] = []): Condition {
  const pattern = `%${escapeLike(filter.q!)}%`
  // Given the text's rare parts (rareSearchParts), the index looks up only
  // those: the whole text on the same expression would be looked up too.
  const looked = rareParts.length ? rareParts.map((part) => `%${escapeLike(part)}%`) : [pattern]
  const any = [
    {
      sql: `(${looked.map(() => `${LOG_SEARCH_TEXT} ilike ?`).join(" and ")} and (${SEARCHED.map((c) => `${c} ilike ?`).join(" or ")}))`,
      params: [...looked, ...SEARCHED.map(() => pattern)],
    },
    oneOf("user_id", filter.q_user_ids),
    oneOf("customer_id", filter.q_customer_ids),
  ].filter((part): part is Condition => part !== null)
  return {
    sql: `(${any.map((part) => part.sql).join(" or ")})`,
    params: any.flatMap((part) => part.params),
  }
}

/** The log filter as SQL conditions with bound parameters (never interpolated). */
export function logWhere(
  filter: LogFilter,
  options: { search?: boolean; rareParts?: string[] } = {}
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
  if (filter.created_at?.gte) {
    where.push(`"created_at" >= ?`)
    params.push(new Date(filter.created_at.gte))
  }
  if (filter.created_at?.lte) {
    where.push(`"created_at" <= ?`)
    params.push(new Date(filter.created_at.lte))
  }
  if (filter.q && options.search !== false) {
    const search = searchCondition(filter, options.rareParts)
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
