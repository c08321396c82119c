import { LOG_ACTIONS } from "../../../types"

/** Lines on one page of the log. */
export const LOG_PAGE_SIZE = 20
/** The list route's highest offset. */
export const LOG_MAX_OFFSET = 10_000_000
/** How many admins or customers one filter may name (the list route's limit). */
export const LOG_MAX_IDS = 100
/** The list route's longest search text, in Unicode code points. */
export const LOG_MAX_SEARCH = 320

/** A search cut at LOG_MAX_SEARCH code points, as the route counts them: never between a character's two UTF-16 units. */
export const cutSearch = (text: string) => Array.from(text).slice(0, LOG_MAX_SEARCH).join("")

/** A date range as the table's date filter holds it. */
export type LogDateRange = { $gte?: string; $lte?: string }

/** What the log page shows, as its address says it. */
export type LogUrlState = {
  q: string
  action: string[]
  user_id: string[]
  customer_id: string[]
  created_at: LogDateRange | null
  order: "created_at" | "-created_at"
  offset: number
}

/** The address's keys the page reads and writes (the names of Medusa's own list pages). */
export const LOG_URL_KEYS = ["q", "action", "user_id", "customer_id", "created_at", "order", "offset"] as const

// Medusa's ids (`user_01…`, `cus_01…`), and any plain id: letters, digits, `_ - . :`.
const ID = /^[A-Za-z0-9_.:-]{1,200}$/
// A date, or a date and time, in ISO 8601 (what the table's date filter writes).
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/
const EARLIEST = Date.parse("0001-01-01T00:00:00.000Z")
const LATEST = Date.parse("9999-12-31T23:59:59.999Z")
const ACTIONS: readonly string[] = LOG_ACTIONS

/**
 * One key's values, repeated (`a=x&a=y`) or comma-separated (`a=x,y`):
 * those that pass the check, each once, at most `max`.
 */
function listParam(params: URLSearchParams, key: string, keep: (value: string) => boolean, max: number): string[] {
  const values = params
    .getAll(key)
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value && keep(value))
  return [...new Set(values)].slice(0, max)
}

/** A date the list route takes (years 1 to 9999), in the filter's own form; null otherwise. */
function isoDate(value: unknown): string | null {
  if (typeof value !== "string" || !ISO_DATE.test(value)) return null
  const time = Date.parse(value)
  return Number.isNaN(time) || time < EARLIEST || time > LATEST ? null : new Date(time).toISOString()
}

/** A date range from the table's date filter: its valid bounds; none without one. */
export function toDateRange(value: unknown): LogDateRange | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null
  const bounds = value as Record<string, unknown>
  const range: LogDateRange = {}
  const from = isoDate(bounds.$gte)
  const to = isoDate(bounds.$lte)
  if (from) range.$gte = from
  if (to) range.$lte = to
  return from || to ? range : null
}

/** A date range written as Medusa's list pages write it, `{"$gte":"…","$lte":"…"}`; anything else is none. */
export function parseDateRange(value: string | null): LogDateRange | null {
  if (!value || value.length > 200) return null
  try {
    return toDateRange(JSON.parse(value))
  } catch {
    return null
  }
}

/** An offset: a whole page's start, 0 up to the route's highest; anything else is 0. */
function offsetParam(value: string | null): number {
  if (!value || !/^\d{1,30}$/.test(value)) return 0
  const offset = Math.min(Number(value), LOG_MAX_OFFSET)
  return Math.floor(offset / LOG_PAGE_SIZE) * LOG_PAGE_SIZE
}

/**
 * The page's state from its address. Whatever the address holds: an unknown
 * action, an id that can't be one, a date that isn't one, an offset out of
 * range are left out (or brought into range); of a key given twice where one
 * value is meant (`q`, `order`, `offset`, `created_at`), the first counts.
 */
export function readLogUrl(params: URLSearchParams): LogUrlState {
  return {
    q: cutSearch(params.get("q") ?? ""),
    action: listParam(params, "action", (value) => ACTIONS.includes(value), ACTIONS.length),
    user_id: listParam(params, "user_id", (value) => ID.test(value), LOG_MAX_IDS),
    customer_id: listParam(params, "customer_id", (value) => ID.test(value), LOG_MAX_IDS),
    created_at: parseDateRange(params.get("created_at")),
    order: params.get("order") === "created_at" ? "created_at" : "-created_at",
    offset: offsetParam(params.get("offset")),
  }
}

/**
 * The address for a state: its other keys kept, the page's keys written in
 * one order, the defaults (newest first, the first page, no filter) left out.
 */
export function writeLogUrl(params: URLSearchParams, state: LogUrlState): URLSearchParams {
  const next = new URLSearchParams(params)
  for (const key of LOG_URL_KEYS) next.delete(key)
  if (state.q) next.set("q", cutSearch(state.q))
  for (const key of ["action", "user_id", "customer_id"] as const) {
    if (state[key].length) next.set(key, state[key].join(","))
  }
  const range = state.created_at
  if (range && (range.$gte || range.$lte)) {
    next.set("created_at", JSON.stringify({ ...(range.$gte ? { $gte: range.$gte } : {}), ...(range.$lte ? { $lte: range.$lte } : {}) }))
  }
  if (state.order === "created_at") next.set("order", "created_at")
  if (state.offset > 0) next.set("offset", String(state.offset))
  return next
}

/** The address as the page would write it for what it shows (the same when nothing in it was left out). */
export function canonicalLogUrl(params: URLSearchParams): URLSearchParams {
  return writeLogUrl(params, readLogUrl(params))
}
