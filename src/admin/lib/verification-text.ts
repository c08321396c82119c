import type { TFunction } from "i18next"
import { formatDate } from "./locale"

type Verification = {
  verified: boolean
  verified_through: string | null
  mode?: "quick" | "full" | null
}

/** "quick check" / "full check": which lines a verification recomputed; null for a kind it doesn't know. */
export function verificationKind(t: TFunction, mode: string | null | undefined): string | null {
  if (mode === "full") return t("loginAsCustomer.logIntegrity.fullCheck")
  if (mode === "quick") return t("loginAsCustomer.logIntegrity.quickCheck")
  return null
}

/** "Integrity verified through <time>" (the time as the page writes it), or "…: nothing sealed yet". */
export function verifiedThrough(t: TFunction, time: string | null): string {
  return time ? t("loginAsCustomer.logIntegrity.verifiedThrough", { time }) : t("loginAsCustomer.logIntegrity.nothingSealed")
}

/**
 * What a verification found, with its kind: "Integrity verified through
 * <time> · full check", "Integrity verified: nothing sealed yet · quick check",
 * "Integrity check failed · full check".
 */
export function verificationSummary(t: TFunction, verification: Verification, language: string | undefined): string {
  const found = !verification.verified
    ? t("loginAsCustomer.logIntegrity.failed")
    : verifiedThrough(t, verification.verified_through && formatDate(verification.verified_through, language))
  return [found, verificationKind(t, verification.mode)].filter(Boolean).join(" · ")
}

/** Where the first mismatch is: "Checkpoint 12 · Line lacl_…" (its kind is shown beside it). */
export function mismatchPlace(t: TFunction, mismatch: { checkpoint: number | null; line_id: string | null }): string {
  return [
    mismatch.checkpoint != null && t("loginAsCustomer.logIntegrity.checkpoint", { checkpoint: mismatch.checkpoint }),
    mismatch.line_id && t("loginAsCustomer.logIntegrity.line", { line: mismatch.line_id }),
  ]
    .filter(Boolean)
    .join(" · ")
}
