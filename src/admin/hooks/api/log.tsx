import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { apiFetch, ApiError } from "../../lib/api"
import { lacKeys } from "../../lib/query-keys"
import type { LogEntry } from "../../lib/types"

const BASE = "/admin/login-as-customer"

/** The log's filters, as the list and the export both take them (arrays as repeated keys). */
export type LogQuery = {
  action?: string[]
  user_id?: string[]
  customer_id?: string[]
  session_id?: string[]
  q?: string
  "created_at[gte]"?: string
  "created_at[lte]"?: string
  limit?: number
  offset?: number
  order?: "created_at" | "-created_at"
}

export type LogPage = {
  log_entries: LogEntry[]
  count: number
  count_estimated: boolean
  offset: number
  limit: number
}

/** A refused answer (403) stays refused: asked once, not again; anything else is retried twice. */
export const retryUnlessForbidden = (count: number, error: { status?: number } | null) =>
  error?.status !== 403 && count < 2

export function useLog(query: LogQuery, enabled = true) {
  return useQuery<LogPage, ApiError>({
    queryKey: lacKeys.log(query),
    // A page the admin left (another filter, another page) is cancelled: the server drops its search.
    queryFn: ({ signal }) => apiFetch<LogPage>(`${BASE}/log`, { query, signal }),
    enabled,
    placeholderData: keepPreviousData,
    retry: retryUnlessForbidden,
  })
}

/** The export URL for the same filters (the browser downloads it with the session cookie). */
export function logExportUrl(query: LogQuery): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (key === "limit" || key === "offset" || value === undefined || value === null || value === "") continue
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item))
  }
  const base = (__BACKEND_URL__ ?? "/").replace(/\/$/, "")
  return `${base}${BASE}/log/export${params.toString() ? `?${params}` : ""}`
}

export function useLogStats(days = 30, enabled = true) {
  return useQuery<{ sessions_per_day: Array<{ date: string; sessions: number }> }, ApiError>({
    queryKey: [...lacKeys.all, "stats", days],
    queryFn: () => apiFetch(`${BASE}/log/stats`, { query: { days } }),
    enabled,
    retry: retryUnlessForbidden,
  })
}

/** An admin or a customer as the log's pickers show them. */
export type Person = {
  id: string
  email: string | null
  first_name: string | null
  last_name: string | null
  company_name?: string | null
}

const PICKER_PAGE = 10

/** Admins or customers matching a text (name or email), through Medusa's own list routes. */
export function usePeople(kind: "user" | "customer", q: string) {
  const path = kind === "user" ? "/admin/users" : "/admin/customers"
  const fields = kind === "user" ? "id,email,first_name,last_name" : "id,email,first_name,last_name,company_name"
  return useQuery<Person[], ApiError>({
    queryKey: [...lacKeys.all, "people", kind, q],
    queryFn: async () => {
      const answer = await apiFetch<Record<string, unknown>>(path, {
        query: { q: q || undefined, limit: PICKER_PAGE, fields },
      })
      return (answer[kind === "user" ? "users" : "customers"] ?? []) as Person[]
    },
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  })
}
