import type { Checkpoint } from "./checkpoint"
import type { Mismatch } from "./verify"

/**
 * A checkpoint kept outside the database (from the `login_as_customer.log_sealed`
 * event, the settings page's Log health, or an earlier verification): its seq
 * and digest. Its digest covers every checkpoint and line before it, so a
 * chain that still holds it holds them unchanged.
 */
export type KeptCheckpoint = { seq: number; digest: string }

/**
 * What verification made of the kept checkpoint: `matched` (the chain holds
 * it), `removed` (retention removed it and no tombstone ends at it, so it
 * couldn't be compared), `mismatch` / `missing` (named in `first_mismatch`),
 * or `unchecked` (verification stopped at a mismatch before it).
 */
export type AnchorStatus = "matched" | "removed" | "mismatch" | "missing" | "unchecked"
export type AnchorResult = { seq: number; digest: string; status: AnchorStatus }

/** Short form of a digest for messages. */
const short = (digest: string) => `${digest.slice(0, 12)}…`

/**
 * The kept checkpoint's checks during a walk of the chain. With a signing
 * key, every checkpoint after it must be signed: unsigned checkpoints are
 * allowed before the log's first signed one (a log that had no key starts
 * being signed), and that allowance is what a chain rebuilt with the
 * triggers off would use; past a checkpoint kept outside, it no longer can.
 */
export class AnchorCheck {
  readonly seq: bigint
  readonly digest: string
  readonly result: AnchorResult

  constructor(kept: KeptCheckpoint) {
    this.seq = BigInt(kept.seq)
    this.digest = kept.digest.toLowerCase()
    this.result = { seq: Number(this.seq), digest: this.digest, status: "unchecked" }
  }

  /**
   * Before the walk, against what retention removed: a tombstone that ends
   * at the kept checkpoint holds its digest (`anchor_digest`, the link the
   * chain goes on from); one removed inside a tombstone's range can't be
   * compared.
   */
  againstTombstones(tombstones: Checkpoint[], prunedThrough: bigint): Mismatch | null {
    if (this.seq > prunedThrough) {
      return null
    }
    const ending = tombstones.find((t) => t.to_seq != null && BigInt(t.to_seq) === this.seq)
    if (!ending) {
      this.result.status = "removed"
      return null
    }
    return this.compare(ending.anchor_digest ?? "", Number(ending.seq))
  }

  /** At a checkpoint of the walk, once its own digest, link and signature checked. */
  at(checkpoint: Checkpoint): Mismatch | null {
    return BigInt(checkpoint.seq) === this.seq ? this.compare(checkpoint.digest, Number(checkpoint.seq)) : null
  }

  /** Whether a checkpoint comes after the kept one (and must be signed when there is a key). */
  isAfter(seq: bigint): boolean {
    return seq > this.seq
  }

  /** After a walk that stopped nowhere, through `lastSeq`: a kept checkpoint past the chain's end was dropped. */
  end(lastSeq: bigint): Mismatch | null {
    if (this.result.status !== "unchecked") {
      return null
    }
    this.result.status = "missing"
    return {
      kind: "anchor_missing",
      checkpoint: Number(this.seq),
      line_id: null,
      message:
        lastSeq > 0n
          ? `the chain ends at checkpoint ${lastSeq}, before checkpoint ${this.seq} you kept: the checkpoints after ${lastSeq} were removed`
          : `the log has no checkpoints, though you kept checkpoint ${this.seq}: the chain was removed`,
    }
  }

  protected compare(digest: string, at: number): Mismatch | null {
    if (digest === this.digest) {
      this.result.status = "matched"
      return null
    }
    this.result.status = "mismatch"
    return {
      kind: "anchor_mismatch",
      checkpoint: at,
      line_id: null,
      message:
        `checkpoint ${this.seq} is not the one you kept (its digest is ${short(digest)}, yours ${short(this.digest)}): ` +
        `the chain up to it was replaced`,
    }
  }
}
