import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { apiFetch, ApiError } from "../../lib/api"
import type { KeptCheckpoint } from "../../lib/kept-checkpoint"
import { lacKeys } from "../../lib/query-keys"
import { retryUnlessForbidden, useLog } from "./log"
import type { LogHealth as ModuleLogHealth } from "../../../modules/login-as-customer/log-integrity/health"
import type { Mismatch, VerifyResult } from "../../../modules/login-as-customer/log-integrity/verify"

const BASE = "/admin/login-as-customer/log"

// The routes answer the module's own shapes (type-only imports: nothing of the server reaches the bundle).
export type LogMismatch = Mismatch
/** With `anchor`: what became of a checkpoint kept outside the database that it was asked about. */
export type LogVerification = VerifyResult
/**
 * The log's health as the health route answers it: the module's figures and
 * the retention setting. `sealing_stopped`: the newest checkpoint row is not
 * one the seal job or retention wrote (its seq, and the server's reason in
 * English), so nothing is sealed until it is explained; null while sealing goes on.
 * `oldest_unsealed_at`: when the oldest line not sealed yet was written, null
 * when every line is sealed (lines are sealed within about a minute).
 */
export type LogHealth = Omit<ModuleLogHealth, "last_verification" | "sealing_stopped" | "oldest_unsealed_at"> & {
  last_verification: (Omit<NonNullable<ModuleLogHealth["last_verification"]>, "first_mismatch"> & { first_mismatch: Mismatch | null }) | null
  sealing_stopped: { seq: number; reason: string } | null
  oldest_unsealed_at: string | null
  retention_days: number | null
}

/** Recomputes the log's chain once per visit (the answer is kept five minutes). */
const LOG_VERIFICATION_KEY = [...lacKeys.all, "log-verification"]

/**
 * The log page's verification; with `anchor`, a checkpoint kept outside the
 * database that the chain must still hold (its own answer, kept apart).
 */
export function useLogVerification(enabled = true, anchor: KeptCheckpoint | null = null) {
  return useQuery<LogVerification, ApiError>({
    queryKey: anchor ? [...LOG_VERIFICATION_KEY, "anchor", anchor.seq, anchor.digest] : LOG_VERIFICATION_KEY,
    queryFn: () => apiFetch<LogVerification>(`${BASE}/verify`, { method: "POST", body: anchor ? { anchor } : {} }),
    enabled,
    // A kept checkpoint is asked about afresh each time it is pasted.
    staleTime: anchor ? 0 : 5 * 60_000,
    retry: retryUnlessForbidden,
  })
}

/** Marks the log page's plain verification stale: shown again, it is recomputed (e.g. after one with a kept checkpoint). */
export function useStaleLogVerification() {
  const client = useQueryClient()
  return () => client.invalidateQueries({ queryKey: LOG_VERIFICATION_KEY, exact: true, refetchType: "none" })
}

const LOG_HEALTH_KEY = [...lacKeys.all, "log-health"]

/** The full verification's mutation key: a page opened again while one runs sees it running (useIsMutating). */
export const FULL_VERIFICATION_KEY = [...lacKeys.all, "log-verification", "full"]

/**
 * Recomputes every line of the log (`{ full: true }`; minutes on a large
 * log), then refreshes the log's health, whose last verification it becomes,
 * and the log page's answer, which it replaces (it checked more).
 */
export function useFullLogVerification() {
  const client = useQueryClient()
  return useMutation<LogVerification, ApiError, void>({
    mutationKey: FULL_VERIFICATION_KEY,
    mutationFn: () => apiFetch<LogVerification>(`${BASE}/verify`, { method: "POST", body: { full: true } }),
    onSuccess: (result) => client.setQueryData(LOG_VERIFICATION_KEY, result),
    onSettled: () => client.invalidateQueries({ queryKey: LOG_HEALTH_KEY }),
  })
}

export function useLogHealth(enabled = true) {
  return useQuery<{ health: LogHealth }, ApiError>({
    queryKey: LOG_HEALTH_KEY,
    queryFn: () => apiFetch(`${BASE}/health`),
    enabled,
    retry: retryUnlessForbidden,
  })
}

/**
 * Whether this admin may verify the log (the verify route needs "View Login
 * as Customer Log", while the health route also answers admins who only
 * manage the settings): one line of the log is asked for. Undefined while
 * unknown.
 */
export function useMayVerifyLog(enabled = true): boolean | undefined {
  const probe = useLog({ limit: 1 }, enabled)
  return probe.data ? true : probe.error?.status === 403 ? false : undefined
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
