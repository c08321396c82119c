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
  /** The seq of the tombstone that ends at the kept checkpoint, when retention removed it: compared when the walk reaches it. */
  protected viaTombstone: bigint | null = null

  constructor(kept: KeptCheckpoint) {
    this.seq = BigInt(kept.seq)
    this.digest = kept.digest.toLowerCase()
    this.result = { seq: Number(this.seq), digest: this.digest, status: "unchecked" }
  }

  /**
   * Before the walk, against what retention removed: a tombstone the walk
   * checks that ends at the kept checkpoint holds its digest
   * (`anchor_digest`, the link the chain goes on from), and is compared
   * with it once the walk has checked the tombstone itself; one removed
   * inside a tombstone's range, or behind a later tombstone, can't be.
   */
  againstTombstones(tombstones: Checkpoint[], prunedThrough: bigint): void {
    if (this.seq > prunedThrough) {
      return
    }
    const ending = tombstones.find((t) => t.to_seq != null && BigInt(t.to_seq) === this.seq && BigInt(t.seq) > prunedThrough)
    if (ending) {
      this.viaTombstone = BigInt(ending.seq)
    } else {
      this.result.status = "removed"
    }
  }

  /** At a checkpoint of the walk, once its own digest, link and signature checked. */
  at(checkpoint: Checkpoint): Mismatch | null {
    const seq = BigInt(checkpoint.seq)
    if (this.viaTombstone != null) {
      return seq === this.viaTombstone ? this.compare(checkpoint.anchor_digest ?? "", Number(seq)) : null
    }
    return seq === this.seq ? this.compare(checkpoint.digest, Number(seq)) : null
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
          ? `the chain ends at checkpoint ${lastSeq}, before the checkpoint ${this.seq} given: if it is one you kept, checkpoints were removed, or the chain replaced by a shorter one`
          : `the log has no checkpoints, before the checkpoint ${this.seq} given: if it is one you kept, the chain was removed`,
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
        `checkpoint ${this.seq}'s digest is ${short(digest)}, not the ${short(this.digest)} given: ` +
        `if that is the digest you kept, the chain up to it was replaced`,
    }
  }
}
