import { Checkpoint, checkpointDigest, CHECKPOINT_COLUMNS, Sql } from "./checkpoint"
import { tombstoneFault } from "./chain-end"
import { GENESIS_DIGEST, LogKey } from "./key"
import { CHECKPOINT_TABLE } from "./sql"
import type { Mismatch } from "./verify"

/** Rows outside the chain named in one answer, at most. */
export const OUTSIDE_LISTED = 100

/**
 * What the tombstones retention wrote say was removed, read in seq order:
 * the seqs up to `through` (whose range ended at transaction `xid`, and the
 * last of them had `digest`), the lines they held. A tombstone that isn't
 * one retention wrote (`tombstoneFault`) is no part of it: it is in
 * `faulty`, and the walk of the chain never stands on it. A gap between
 * the ones retention wrote (one of them removed) is `gap`.
 */
export type Pruned = {
  through: bigint
  digest: string
  xid: bigint
  removedLines: number
  tombstones: Checkpoint[]
  faulty: Array<{ tombstone: Checkpoint; mismatch: Mismatch }>
  gap: Mismatch | null
}

export async function readPruned(sql: Sql, key: LogKey | null): Promise<Pruned> {
  const { rows } = (await sql.raw(
    `select ${CHECKPOINT_COLUMNS} from ${CHECKPOINT_TABLE} where "kind" = 'tombstone' order by ${CHECKPOINT_TABLE}."seq", "id"`
  )) as { rows: Checkpoint[] }
  const pruned: Pruned = { through: 0n, digest: GENESIS_DIGEST, xid: 0n, removedLines: 0, tombstones: [], faulty: [], gap: null }
  for (const tombstone of rows) {
    const fault = tombstoneFault(tombstone, key)
    if (fault) {
      pruned.faulty.push({ tombstone, mismatch: { ...fault, checkpoint: Number(tombstone.seq), line_id: null } })
      continue
    }
    if (BigInt(tombstone.from_seq!) !== pruned.through + 1n) {
      pruned.gap ??= {
        kind: "tombstone_gap",
        checkpoint: Number(tombstone.seq),
        line_id: null,
        message: `tombstone ${tombstone.seq} removes checkpoints from ${tombstone.from_seq}, expected from ${pruned.through + 1n}`,
      }
      break
    }
    pruned.tombstones.push(tombstone)
    pruned.through = BigInt(tombstone.to_seq!)
    pruned.digest = tombstone.anchor_digest!
    pruned.xid = BigInt(tombstone.to_xid)
    pruned.removedLines += Number(tombstone.line_count)
  }
  return pruned
}

/**
 * Rows of the checkpoint table the chain's walk never reads, named: below
 * seq 1 (the chain starts at 1), seals at seqs retention freed that it
 * didn't leave (`freedSeqFaults`), and tombstones it didn't write. A plain
 * INSERT is all the append-only triggers allow there, and a row below 1 or
 * a tombstone can't be deleted with them on: so none stops the walk, or it
 * would keep naming itself while the chain after it changed unseen; it is
 * the first mismatch only when the chain verifies.
 */
export async function outsideChain(sql: Sql, pruned: Pruned): Promise<Mismatch[]> {
  const { rows: below } = (await sql.raw(
    `select "seq"::text as "seq" from ${CHECKPOINT_TABLE} where "seq" < 1 order by "seq" limit ${OUTSIDE_LISTED}`
  )) as { rows: Array<{ seq: string }> }
  const outside = below.map(({ seq }): Mismatch => ({
    kind: "chain_broken",
    checkpoint: Number(seq),
    line_id: null,
    message: `a checkpoint with seq ${seq} was added outside the chain, which starts at 1`,
  }))
  outside.push(...(await freedSeqFaults(sql, pruned.through, pruned.xid)), ...pruned.faulty.map((f) => f.mismatch))
  return outside.sort((a, b) => (a.checkpoint ?? 0) - (b.checkpoint ?? 0)).slice(0, OUTSIDE_LISTED)
}

/**
 * The seals at seqs the newest tombstone stands for (`prunedThrough`, whose
 * range ended at `prunedXid`) that retention didn't leave: a digest not
 * their own, or a range past the tombstone's. Retention deletes those seals
 * after appending the tombstone (an interrupted run leaves some for the
 * next); a plain INSERT can put a row at any of those seqs.
 */
async function freedSeqFaults(sql: Sql, prunedThrough: bigint, prunedXid: bigint): Promise<Mismatch[]> {
  if (prunedThrough < 1n) return []
  const { rows } = (await sql.raw(
    `select ${CHECKPOINT_COLUMNS} from ${CHECKPOINT_TABLE} where "kind" <> 'tombstone' and "seq" >= 1 and "seq" <= ? order by ${CHECKPOINT_TABLE}."seq"`,
    [String(prunedThrough)]
  )) as { rows: Checkpoint[] }
  return rows
    .filter((c) => c.kind !== "seal" || checkpointDigest(c) !== c.digest || BigInt(c.to_xid) > prunedXid || BigInt(c.from_xid) > BigInt(c.to_xid))
    .slice(0, OUTSIDE_LISTED)
    .map((bad): Mismatch => ({
      kind: "chain_broken",
      checkpoint: Number(bad.seq),
      line_id: null,
      message: `checkpoint ${bad.seq} was inserted where retention removed one (tombstones stand for seqs up to ${prunedThrough})`,
    }))
}

/**
 * A checkpoint the walk found missing that a tombstone retention didn't
 * write claims to stand for: that tombstone is what to name (with the
 * triggers on, the chain's newest tombstone is what lets its range be
 * deleted, and the trigger can't check a signature).
 */
export function missingClaimedBy(missing: Mismatch, pruned: Pruned): Mismatch {
  if (missing.kind !== "checkpoint_missing" || missing.checkpoint == null) return missing
  const seq = BigInt(missing.checkpoint)
  const claim = pruned.faulty.find(
    ({ tombstone: t }) => t.from_seq != null && t.to_seq != null && BigInt(t.from_seq) <= seq && seq <= BigInt(t.to_seq)
  )
  return claim?.mismatch ?? missing
}
