import { FetchError } from "@medusajs/js-sdk"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { apiFetch, ApiError } from "../../lib/api"
import { lacKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import type {
  AdminSession,
  CustomerLoginAsCustomer,
  Grant,
  RemoteAssistance,
  Settings,
} from "../../lib/types"

const BASE = "/admin/login-as-customer"

/** How often the widget asks again while a session waits for the storefront, or is in progress. */
export const PENDING_REFRESH_MS = 3_000
export const ACTIVE_REFRESH_MS = 10_000

/**
 * Consent, whether the admin can log in as the customer (and why not), and
 * sessions in progress. Sessions change elsewhere (the storefront exchanges
 * the ticket, logs out, expires), so the answer is fetched again when the
 * admin comes back to the tab and, while a session is pending or active, on
 * an interval.
 */
export function useCustomerLoginAsCustomer(customerId: string | null | undefined) {
  return useQuery<CustomerLoginAsCustomer, FetchError>({
    queryKey: lacKeys.customer(customerId ?? ""),
    queryFn: () => apiFetch(`/admin/customers/${customerId}/login-as-customer`),
    enabled: !!customerId,
    refetchOnWindowFocus: true,
    refetchInterval: (query) => {
      const sessions = query.state.data?.active_sessions ?? []
      if (sessions.some((s) => s.status === "pending")) return PENDING_REFRESH_MS
      if (sessions.some((s) => s.status === "active")) return ACTIVE_REFRESH_MS
      return false
    },
  })
}

/**
 * The signed-in admin's own session in progress (pending or active), if any:
 * starting another ends it. The storefront may have taken the ticket since it
 * was last fetched, so it is fetched afresh whenever a view that uses it opens.
 */
export function useMyActiveSession(userId: string | undefined, enabled = true) {
  return useQuery<AdminSession | null, FetchError>({
    queryKey: lacKeys.sessions({ user_id: userId, active: true }),
    queryFn: async () => {
      const { sessions } = await apiFetch<{ sessions: AdminSession[] }>(`${BASE}/sessions`, {
        query: { user_id: userId, active: true, limit: 1 },
      })
      return sessions[0] ?? null
    },
    enabled: enabled && !!userId,
    staleTime: 0,
    refetchOnMount: "always",
    refetchOnWindowFocus: true,
  })
}

/** A customer's name for a sentence: first and last name, else the email. */
export function useCustomerName(customerId: string | null | undefined) {
  return useQuery({
    queryKey: [...lacKeys.all, "customer-name", customerId ?? ""],
    queryFn: async () => {
      const { customer } = await sdk.admin.customer.retrieve(customerId!, { fields: "id,email,first_name,last_name" })
      return [customer.first_name, customer.last_name].filter(Boolean).join(" ") || customer.email
    },
    enabled: !!customerId,
    staleTime: 60_000,
  })
}

export function useUpdateRemoteAssistance(customerId: string) {
  const client = useQueryClient()
  return useMutation<
    { remote_assistance: RemoteAssistance },
    FetchError,
    { allowed: boolean; expires_at?: string | null }
  >({
    mutationFn: (body) =>
      apiFetch(`/admin/customers/${customerId}/login-as-customer/remote-assistance`, {
        method: "POST",
        body,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: lacKeys.all }),
  })
}

export type StartBody = {
  reason?: string
  mode?: "full" | "read_only"
  storefront_id?: string
  order_id?: string
}

export function useStartLoginAsCustomer(customerId: string) {
  const client = useQueryClient()
  return useMutation<{ redirect_url: string; expires_at: string; session_id: string }, FetchError, StartBody>({
    mutationFn: (body) =>
      apiFetch(`/admin/customers/${customerId}/login-as-customer`, { method: "POST", body }),
    onSettled: () => client.invalidateQueries({ queryKey: lacKeys.all }),
  })
}

/** A refused End: `session_already_ended` also says how the session had ended. */
export type EndSessionError = ApiError & { end_reason?: string | null }

/**
 * Ends a session. One that had already ended answers
 * `409 session_already_ended` with its `end_reason`, kept on the error; the
 * widget's data is fetched again either way.
 */
export function useEndSession() {
  const client = useQueryClient()
  return useMutation<{ session: AdminSession }, EndSessionError, string>({
    mutationFn: async (sessionId) => {
      const base = (__BACKEND_URL__ ?? "/").replace(/\/$/, "")
      const response = await fetch(`${base}${BASE}/sessions/${encodeURIComponent(sessionId)}/end`, {
        method: "POST",
        credentials: "include",
        headers: { accept: "application/json" },
      })
      const body = await response.json().catch(() => ({}))
      if (!response.ok) {
        const error: EndSessionError = new ApiError(
          body.message ?? response.statusText,
          response.statusText,
          response.status,
          body.code,
          body.type
        )
        error.end_reason = body.end_reason ?? null
        throw error
      }
      return body
    },
    onSettled: () => client.invalidateQueries({ queryKey: lacKeys.all }),
  })
}

export function useSettings() {
  return useQuery<{ settings: Settings }, FetchError>({
    queryKey: lacKeys.settings(),
    queryFn: () => apiFetch(`${BASE}/settings`),
  })
}

export function useUpdateSettings() {
  const client = useQueryClient()
  return useMutation<{ settings: Settings }, FetchError, Partial<Omit<Settings, "updated_at">>>({
    mutationFn: (body) => apiFetch(`${BASE}/settings`, { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: lacKeys.all }),
  })
}

export function useGrants(enabled = true) {
  return useQuery<{ rbac: boolean; access: string; applies: boolean; grants: Grant[] }, FetchError>({
    queryKey: lacKeys.grants(),
    queryFn: () => apiFetch(`${BASE}/grants`),
    enabled,
  })
}

export function useUpdateGrant() {
  const client = useQueryClient()
  return useMutation<
    { grant: Grant },
    FetchError,
    { user_id: string; can_login?: boolean; can_view_log?: boolean }
  >({
    mutationFn: ({ user_id, ...body }) =>
      apiFetch(`${BASE}/grants/${user_id}`, { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: lacKeys.all }),
  })
}

// The log's hooks are in ./log.tsx.
