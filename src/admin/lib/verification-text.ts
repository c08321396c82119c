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

/** Mismatch kinds said in words beside their code; the others are shown by their code alone. */
const KIND_TEXT: Record<string, string> = {
  anchor_mismatch: "loginAsCustomer.logIntegrity.kinds.anchor_mismatch",
  anchor_missing: "loginAsCustomer.logIntegrity.kinds.anchor_missing",
  layout_changed: "loginAsCustomer.logIntegrity.kinds.layout_changed",
}

/** What a mismatch kind means, in words ("The log ends before the checkpoint given…"), or null. */
export function mismatchKindText(t: TFunction, kind: string): string | null {
  return KIND_TEXT[kind] ? t(KIND_TEXT[kind]) : null
}

/**
 * What became of a checkpoint kept outside the database: "The log still
 * holds checkpoint #12 you kept", "Checkpoint #12 was removed by retention;
 * it could not be compared", or that verification stopped before it. Null
 * when the first mismatch already says it (it no longer matches, or the
 * chain ends before it) or no checkpoint was sent.
 */
export function anchorOutcome(
  t: TFunction,
  anchor: { seq: number; status: string } | null | undefined
): { text: string; tone: "ok" | "info" } | null {
  if (!anchor) return null
  if (anchor.status === "matched") return { text: t("loginAsCustomer.logIntegrity.anchorMatched", { seq: anchor.seq }), tone: "ok" }
  if (anchor.status === "removed") return { text: t("loginAsCustomer.logIntegrity.anchorRemoved", { seq: anchor.seq }), tone: "info" }
  if (anchor.status === "unchecked") return { text: t("loginAsCustomer.logIntegrity.anchorUnchecked", { seq: anchor.seq }), tone: "info" }
  return null
}
