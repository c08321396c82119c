import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { apiFetch, ApiError } from "../../lib/api"
import { lacKeys } from "../../lib/query-keys"
import { retryUnlessForbidden } from "./log"
import type { LogHealth as ModuleLogHealth } from "../../../modules/login-as-customer/log-integrity/health"
import type { Mismatch, VerifyResult } from "../../../modules/login-as-customer/log-integrity/verify"

const BASE = "/admin/login-as-customer/log"

// The routes answer the module's own shapes (type-only imports: nothing of the server reaches the bundle).
export type LogMismatch = Mismatch
export type LogVerification = VerifyResult
/** The log's health as the health route answers it: the module's figures and the retention setting. */
export type LogHealth = Omit<ModuleLogHealth, "last_verification"> & {
  last_verification: (Omit<NonNullable<ModuleLogHealth["last_verification"]>, "first_mismatch"> & { first_mismatch: Mismatch | null }) | null
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
