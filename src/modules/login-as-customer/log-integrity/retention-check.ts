import { Checkpoint, checkpointDigest, Sql } from "./checkpoint"
import { LogKey, signatureValid } from "./key"
import { newSumSeed } from "./quick"
import { readCheckpointsInParts } from "./read-checkpoints"

/** Whether a checkpoint has its own digest and, when there is a key, that key's signature. */
export function ownAndSigned(c: Checkpoint, key: LogKey | null): boolean {
  return checkpointDigest(c) === c.digest && (!key || (c.key_id === key.id && signatureValid(key, c.digest, c.signature)))
}

/** Why retention stops before writing a tombstone: nothing has been removed. */
export function retentionStopped(why: string): never {
  throw new Error(
    `Login as Customer: retention stopped: ${why}; nothing was removed. Verify the log (POST /admin/login-as-customer/log/verify)`
  )
}

/**
 * Checks what a tombstone is about to stand for, as verification would,
 * before retention signs it: a signed tombstone is what lets the
 * append-only trigger delete lines and verification skip them, so it must
 * never vouch for rows someone changed or added. The checkpoints after
 * `pruned` (the chain's newest tombstone) up to the last one to remove must
 * come one per seq, each with its own digest, chained to the one before
 * (from the digest the tombstone kept of the last one removed), signed with
 * the key when there is one, the seals' ranges contiguous and forward, and
 * each seal's lines still the ones it sealed (their count and digest). Also
 * the newest checkpoint, which the tombstone is chained to.
 */
export async function checkBeforeTombstone(
  sql: Sql,
  key: LogKey | null,
  pruned: { to_seq: string; to_xid: string; digest: string },
  candidates: Checkpoint[],
  newest: Checkpoint
): Promise<void> {
  let seq = BigInt(pruned.to_seq)
  let prev = pruned.digest
  let toXid = BigInt(pruned.to_xid)
  const last = BigInt(candidates[candidates.length - 1].seq)
  const read = await readCheckpointsInParts(sql, seq + 1n, last, 1, "quick", newSumSeed())
  if (read.length !== candidates.length) {
    retentionStopped(`checkpoints ${seq + 1n} to ${last} are not one per seq`)
  }
  for (const [i, c] of candidates.entries()) {
    seq += 1n
    if (BigInt(c.seq) !== seq || read[i].id !== c.id) retentionStopped(`checkpoint ${seq} is missing or in the chain twice`)
    if (c.prev_digest !== prev) retentionStopped(`checkpoint ${c.seq} does not follow the checkpoint before it`)
    if (!ownAndSigned(c, key)) retentionStopped(`checkpoint ${c.seq} was changed after it was written, or is not signed with this key`)
    if (c.kind === "seal") {
      if (BigInt(c.from_xid) !== toXid || BigInt(c.to_xid) < BigInt(c.from_xid)) retentionStopped(`checkpoint ${c.seq}'s range does not follow the one before it`)
      if (read[i].found_count !== c.line_count || read[i].found_digest !== c.lines_digest) retentionStopped(`the lines of checkpoint ${c.seq} are not the ones it sealed`)
      toXid = BigInt(c.to_xid)
    }
    prev = c.digest
  }
  if (checkpointDigest(newest) !== newest.digest) {
    retentionStopped(`checkpoint ${newest.seq}, the newest, was changed after it was written`)
  }
}
