import { Checkpoint, CHECKPOINT_COLUMNS, checkpointDigest, Sql } from "./checkpoint"
import { GENESIS_DIGEST, LogKey, signatureValid } from "./key"
import { CHECKPOINT_TABLE } from "./sql"

/** Rows read back from the top before giving up on finding the chain's own end. */
const MAX_WALK_BACK = 2000
const PAGE = 500

export type ChainEnd = {
  /** The newest checkpoint the seal job or retention wrote, or null (none yet, or none found). */
  end: Checkpoint | null
  /** The newest row above it, which they didn't write (inserted or changed by SQL), and why. */
  foreign: { seq: number; reason: string } | null
}

/**
 * Where the chain its own writers left ends: the newest checkpoint, by seq
 * from 1, whose digest is its own, signed with the key when there is one
 * (an unsigned one only below every signed one: a log that had no key yet),
 * and chained to the one before it (or, for a tombstone that
 * stands for the checkpoint just before it, which retention then deletes, to
 * the digest it kept of that one).
 *
 * A row appended past it by SQL (a plain INSERT is all the append-only
 * triggers allow) is `foreign`: the seal job must not chain onto it nor Log
 * health offer its digest as the checkpoint to keep, and its range must not
 * count lines as sealed. Verification names it.
 */
export async function chainEnd(sql: Sql, key: LogKey | null): Promise<ChainEnd> {
  let foreign: ChainEnd["foreign"] = null
  let below: bigint | null = null
  // The newest row and the one before it first (the usual answer), then pages further back.
  for (let read = 0, size = 1; read < MAX_WALK_BACK; read += size, size = PAGE) {
    const { rows } = (await sql.raw(
      `select ${CHECKPOINT_COLUMNS} from ${CHECKPOINT_TABLE} where "seq" >= 1 ${below == null ? "" : `and "seq" < ${below}`}
        order by ${CHECKPOINT_TABLE}."seq" desc limit ${size + 1}`
    )) as { rows: Checkpoint[] }
    if (!rows.length) break
    for (let i = 0; i < Math.min(rows.length, size); i++) {
      const c = rows[i]
      const before = rows[i + 1] ?? null
      const signedBefore = async () =>
        (await sql.raw(`select exists (select 1 from ${CHECKPOINT_TABLE} where "seq" >= 1 and "seq" < ? and "signature" is not null) as "any"`, [c.seq]))
          .rows[0].any as boolean
      const reason = await whyForeign(c, before, key, signedBefore)
      if (!reason) return { end: c, foreign }
      foreign ??= { seq: Number(c.seq), reason }
    }
    if (rows.length <= size) break
    below = BigInt(rows[size - 1].seq)
  }
  return { end: null, foreign }
}

async function whyForeign(
  c: Checkpoint,
  before: Checkpoint | null,
  key: LogKey | null,
  signedBefore: () => Promise<boolean>
): Promise<string | null> {
  const seq = BigInt(c.seq)
  // Unsigned only a seal below every signed one (a log that had no key yet).
  const unsignedAllowed = key != null && c.signature == null && c.kind !== "tombstone" && !(await signedBefore())
  const own = ownFault(c, key, unsignedAllowed)
  if (own) return own.message
  // A tombstone standing for the checkpoint just before it chains to the
  // digest it kept of that one: retention deletes it, and a row inserted at
  // its freed seq is not what the tombstone follows.
  if (c.kind === "tombstone" && c.to_seq != null && BigInt(c.to_seq) === seq - 1n) {
    return c.anchor_digest === c.prev_digest ? null : `checkpoint ${seq} does not follow the checkpoint before it`
  }
  if (before && BigInt(before.seq) === seq - 1n) {
    return before.digest === c.prev_digest ? null : `checkpoint ${seq} does not follow the checkpoint before it`
  }
  if (seq === 1n) return c.prev_digest === GENESIS_DIGEST ? null : `checkpoint 1 does not start the chain`
  return `checkpoint ${seq} follows no checkpoint: ${seq - 1n} is missing`
}

/**
 * What is wrong with a tombstone row, or null for one retention wrote: it
 * stands for checkpoints before it (a range of at least one, from 1 on),
 * its digest is its own, and it is signed with the key when there is one.
 * A tombstone at or below the newest one's range is never walked as a link
 * of the chain (the seqs there are those of the seals retention removed,
 * free for a plain INSERT), so it is checked here instead: one made up
 * there must neither count removed lines nor move where the chain starts.
 */
export function tombstoneFault(
  t: Checkpoint,
  key: LogKey | null
): { kind: "tombstone_invalid" | "checkpoint_altered" | "unsigned" | "signature_invalid"; message: string } | null {
  const seq = BigInt(t.seq)
  if (t.from_seq == null || t.to_seq == null || BigInt(t.from_seq) < 1n || BigInt(t.to_seq) < BigInt(t.from_seq) || seq <= BigInt(t.to_seq)) {
    return { kind: "tombstone_invalid", message: `tombstone ${seq} doesn't stand for checkpoints before it (from ${t.from_seq} to ${t.to_seq})` }
  }
  return ownFault(t, key, false)
}

/** Whether a checkpoint row is one the app wrote: its digest its own, signed with the key when there is one (unsigned only where allowed). */
function ownFault(
  c: Checkpoint,
  key: LogKey | null,
  unsignedAllowed: boolean
): { kind: "checkpoint_altered" | "unsigned" | "signature_invalid"; message: string } | null {
  if (checkpointDigest(c) !== c.digest) {
    return { kind: "checkpoint_altered", message: `checkpoint ${c.seq} was changed after it was written` }
  }
  if (key && c.signature == null && !unsignedAllowed) {
    return { kind: "unsigned", message: `checkpoint ${c.seq} is not signed, though a signing key is set` }
  }
  if (key && c.signature != null && (c.key_id !== key.id || !signatureValid(key, c.digest, c.signature))) {
    return { kind: "signature_invalid", message: `checkpoint ${c.seq} is not signed with this key` }
  }
  return null
}
