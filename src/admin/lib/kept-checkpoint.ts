/**
 * A checkpoint a merchant keeps outside the store's database, as Settings →
 * Log health copies it and the verify route takes it as `anchor`:
 * `{"seq":12,"digest":"<64 hex>"}`.
 */
export type KeptCheckpoint = { seq: number; digest: string }

/** Why a pasted checkpoint isn't one: not `{"seq":…,"digest":"…"}`, a seq that isn't a whole number from 1, or a digest that isn't 64 hex characters. */
export type KeptCheckpointProblem = "format" | "seq" | "digest"

const DIGEST = /^[0-9a-fA-F]{64}$/

/** The exact JSON the verify route takes as `anchor`, for the clipboard. */
export function keptCheckpointJson(checkpoint: KeptCheckpoint): string {
  return JSON.stringify({ seq: checkpoint.seq, digest: checkpoint.digest })
}

/** A digest shortened for the eye, its start and its end: "3f2a9c1e…7b04d5e6". */
export function shortDigest(digest: string): string {
  return digest.length > 20 ? `${digest.slice(0, 8)}…${digest.slice(-8)}` : digest
}

/**
 * Reads a pasted checkpoint: the JSON as copied (a seq given as its digits is
 * taken too, as the route takes it), the digest lowercased. The first problem
 * otherwise.
 */
export function parseKeptCheckpoint(text: string): { checkpoint: KeptCheckpoint } | { problem: KeptCheckpointProblem } {
  let value: unknown
  try {
    value = JSON.parse(text.trim())
  } catch {
    return { problem: "format" }
  }
  if (!value || typeof value !== "object" || Array.isArray(value) || !("seq" in value) || !("digest" in value)) {
    return { problem: "format" }
  }
  const { seq, digest } = value as { seq: unknown; digest: unknown }
  const number = typeof seq === "string" && /^[0-9]+$/.test(seq) ? Number(seq) : seq
  if (typeof number !== "number" || !Number.isSafeInteger(number) || number < 1) {
    return { problem: "seq" }
  }
  if (typeof digest !== "string" || !DIGEST.test(digest)) {
    return { problem: "digest" }
  }
  return { checkpoint: { seq: number, digest: digest.toLowerCase() } }
}
