import { chainEnd } from "./chain-end"
import { appendCheckpoint, Checkpoint, CHECKPOINT_COLUMNS, lastCheckpoint, Sql, SqlWithTransactions } from "./checkpoint"
import { GENESIS_DIGEST, LogKey, sha256 } from "./key"
import { checkBeforeTombstone, ownAndSigned, retentionStopped } from "./retention-check"
import { SEAL_LOCK } from "./seal"
import { CHECKPOINT_TABLE, LOG_TABLE } from "./sql"

export type PurgeResult = {
  /** The tombstone written by this run, or null when no sealed range had come of age. */
  tombstone: Checkpoint | null
  /** Lines removed by this run (also those a previous, interrupted run left). */
  removed_lines: number
  /** Seal checkpoints removed (the tombstone stands for them). */
  removed_checkpoints: number
  /** The longest single delete statement, in ms: how long any row lock was held. */
  longest_batch_ms: number
  batches: number
}

/**
 * How far retention has removed: the range of the chain's newest tombstone
 * (by seq, from 1), or nothing yet. Only a tombstone retention could have
 * written counts: one that comes after the checkpoints it stands for, whose
 * digest is its own and, with a key, signed with it. Any other (inserted by
 * SQL: a plain INSERT is all the append-only triggers allow) stops retention
 * with an error rather than have it delete the lines it claims; verification
 * names it.
 */
async function removedSoFar(sql: Sql, key: LogKey | null): Promise<{ to_seq: string; to_xid: string; digest: string }> {
  const { rows: [newest] } = (await sql.raw(
    `select ${CHECKPOINT_COLUMNS} from ${CHECKPOINT_TABLE} where "kind" = 'tombstone' and "seq" >= 1
      order by ${CHECKPOINT_TABLE}."seq" desc limit 1`
  )) as { rows: Checkpoint[] }
  if (!newest) {
    return { to_seq: "0", to_xid: "0", digest: GENESIS_DIGEST }
  }
  if (newest.to_seq == null || BigInt(newest.seq) <= BigInt(newest.to_seq) || !ownAndSigned(newest, key)) {
    retentionStopped(`tombstone checkpoint ${newest.seq} is not one retention wrote`)
  }
  return { to_seq: newest.to_seq!, to_xid: newest.to_xid, digest: newest.anchor_digest ?? "" }
}

/**
 * Removes the lines of whole sealed checkpoints older than `retentionDays`
 * (the newest line of each must be older), through the one path the
 * append-only triggers allow:
 *
 * 1. one short transaction (under the seal lock) appends a tombstone
 *    checkpoint to the chain: the checkpoints it stands for (`from_seq`..`to_seq`),
 *    their transaction range, how many lines they sealed, the digest over
 *    their line digests and the last one's digest (`anchor_digest`), which the
 *    next checkpoint chains to. Signed like every checkpoint.
 * 2. the lines under the tombstone are deleted in batches of `batch` rows,
 *    each its own statement: writers never wait (new lines are never in the
 *    range) and readers never do (PostgreSQL readers don't wait for deletes).
 *    The trigger lets a DELETE through only for a line below the chain's
 *    newest tombstone.
 * 3. the seal checkpoints the tombstone stands for are deleted the same way,
 *    the last one last.
 *
 * An interrupted run leaves a tombstone and some lines; the next run finishes
 * them, and verification meanwhile skips what the tombstone covers.
 */
export async function purgeLog(
  knex: SqlWithTransactions,
  key: LogKey | null,
  retentionDays: number | null,
  options: { batch?: number; now?: Date } = {}
): Promise<PurgeResult> {
  const batch = Math.max(1, options.batch ?? 5000)
  const result: PurgeResult = { tombstone: null, removed_lines: 0, removed_checkpoints: 0, longest_batch_ms: 0, batches: 0 }
  const cutoff = new Date((options.now ?? new Date()).getTime() - (retentionDays ?? 0) * 86_400_000)
  // A retention past the dates JavaScript can hold keeps everything.
  if (retentionDays != null && retentionDays > 0 && !Number.isNaN(cutoff.getTime())) {
    result.tombstone = await knex.transaction(async (trx) => {
      await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [SEAL_LOCK])
      const pruned = await removedSoFar(trx, key)
      // The oldest seal checkpoints still here, in order, up to the first one
      // too young (the newest line decides). A seal whose newest line has no
      // time to compare (an `infinity` written by a plain INSERT is none, a
      // year past 9999 has five digits and would sort as old) counts as young.
      const { rows: candidates } = (await trx.raw(
        `select ${CHECKPOINT_COLUMNS} from ${CHECKPOINT_TABLE}
          where "seq" > ? and "seq" <= coalesce(
            (select min("seq") - 1 from ${CHECKPOINT_TABLE} where "seq" > ? and "kind" = 'seal'
               and ("last_line_at" is null or "last_line_at" !~ '^[0-9]{4}-' or "last_line_at" >= ?)),
            (select max("seq") from ${CHECKPOINT_TABLE}))
          order by ${CHECKPOINT_TABLE}."seq"`,
        [pruned.to_seq, pruned.to_seq, cutoff.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z")]
      )) as { rows: Checkpoint[] }
      const seals = candidates.filter((c) => c.kind === "seal")
      // A range ends on a seal checkpoint (a trailing tombstone stays outside).
      while (candidates.length && candidates[candidates.length - 1].kind !== "seal") {
        candidates.pop()
      }
      if (!seals.length || !candidates.length) {
        return null
      }
      const last = candidates[candidates.length - 1]
      await checkBeforeTombstone(trx, key, pruned, candidates, (await lastCheckpoint(trx))!)
      // Chained onto the chain's own end, never onto a row someone appended after it.
      const { end: previous, foreign } = await chainEnd(trx, key)
      if (foreign || !previous) {
        retentionStopped(foreign?.reason ?? "the chain has no checkpoint of its own")
      }
      return appendCheckpoint(
        trx,
        previous,
        {
          kind: "tombstone",
          from_xid: pruned.to_xid,
          to_xid: last.to_xid,
          from_seq: String(BigInt(pruned.to_seq) + 1n),
          to_seq: last.seq,
          line_count: String(seals.reduce((sum, c) => sum + BigInt(c.line_count), 0n)),
          lines_digest: sha256(seals.map((c) => c.lines_digest).join("")),
          anchor_digest: last.digest,
          first_line_at: seals[0].first_line_at,
          last_line_at: last.last_line_at,
        },
        key,
        null
      )
    })
  }

  const timed = async (sqlText: string, bindings: unknown[]) => {
    const started = Date.now()
    const { rows } = await knex.raw(sqlText, bindings)
    result.longest_batch_ms = Math.max(result.longest_batch_ms, Date.now() - started)
    result.batches++
    return rows.length
  }
  const bound = await removedSoFar(knex, key)
  if (bound.to_seq === "0") {
    return result
  }
  for (;;) {
    const removed = await timed(
      `delete from ${LOG_TABLE} where "id" in (
         select "id" from ${LOG_TABLE} where "xact_id" < ? order by "xact_id" limit ?
       ) returning 1`,
      [bound.to_xid, batch]
    )
    result.removed_lines += removed
    if (removed < batch) break
  }
  // The last seal it stands for goes last, on its own: the trigger lets
  // these deletes through only while it is there (a statement's trigger sees
  // the rows the statement already deleted).
  for (;;) {
    const removed = await timed(
      `delete from ${CHECKPOINT_TABLE} where "id" in (
         select "id" from ${CHECKPOINT_TABLE} where "kind" = 'seal' and "seq" < ? order by "seq" limit ?
       ) returning 1`,
      [bound.to_seq, batch]
    )
    result.removed_checkpoints += removed
    if (removed < batch) break
  }
  result.removed_checkpoints += await timed(`delete from ${CHECKPOINT_TABLE} where "kind" = 'seal' and "seq" = ? returning 1`, [bound.to_seq])
  return result
}
