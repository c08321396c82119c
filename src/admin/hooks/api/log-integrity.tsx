import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { apiFetch, ApiError } from "../../lib/api"
import { lacKeys } from "../../lib/query-keys"
import { retryUnlessForbidden } from "./log"

const BASE = "/admin/login-as-customer/log"

export type LogMismatch = { kind: string; checkpoint: number | null; line_id: string | null; message: string }

export type LogVerification = {
  verified: boolean
  verified_through: string | null
  checkpoints: number
  lines: number
  unsealed_lines: number
  removed_lines: number
  signed: boolean
  first_mismatch: LogMismatch | null
}

export type LogHealth = {
  lines: number
  lines_estimated: boolean
  size_bytes: number
  oldest_line_at: string | null
  last_seal: { seq: number; at: string; through: string | null; signed: boolean } | null
  unsealed_lines: number
  last_verification: { at: string; verified: boolean; verified_through: string | null; first_mismatch: LogMismatch | null } | null
  removed_lines: number
  signing_key: boolean
  retention_days: number | null
}

/** Recomputes the log's chain once per visit (the answer is kept five minutes). */
export function useLogVerification(enabled = true) {
  return useQuery<LogVerification, ApiError>({
    queryKey: [...lacKeys.all, "log-verification"],
    queryFn: () => apiFetch<LogVerification>(`${BASE}/verify`, { method: "POST", body: {} }),
    enabled,
    staleTime: 5 * 60_000,
    retry: retryUnlessForbidden,
  })
}

export function useLogHealth(enabled = true) {
  return useQuery<{ health: LogHealth }, ApiError>({
    queryKey: [...lacKeys.all, "log-health"],
    queryFn: () => apiFetch(`${BASE}/health`),
    enabled,
    retry: retryUnlessForbidden,
  })
}

export type ErasableLines = { customer_id: string; erasable_lines: number; can_erase: boolean }

/**
 * Whether a customer's personal data is still in the log (lines an erasure
 * would change; 0 once erased, until new lines about them are written) and
 * whether this admin may erase it.
 */
export function useErasableLines(customerId: string | null | undefined) {
  return useQuery<ErasableLines, ApiError>({
    queryKey: [...lacKeys.all, "log-erasable", customerId ?? ""],
    queryFn: () => apiFetch<ErasableLines>(`${BASE}/erase?customer_id=${encodeURIComponent(customerId!)}`),
    enabled: !!customerId,
    retry: retryUnlessForbidden,
  })
}

export function useEraseCustomerFromLog() {
  const client = useQueryClient()
  return useMutation<{ pseudonym: string; erased_lines: number }, ApiError, { customer_id: string }>({
    mutationFn: (body) => apiFetch(`${BASE}/erase`, { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: lacKeys.all }),
  })
}
