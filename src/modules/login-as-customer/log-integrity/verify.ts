import { AnchorCheck, AnchorResult, KeptCheckpoint } from "./anchor"
import { checkpointDigest, Sql } from "./checkpoint"
import { diffLines } from "./diff-lines"
import { LogKey, signatureValid } from "./key"
import { ChangedGuard, changedGuards } from "./guards"
import { GuardsRewrite, GuardsRewrites } from "./guards-version"
import { layoutChanged } from "./layout"
import { changedLine, lineDatedAfterSeal } from "./line-time"
import { checkErasures } from "./erasure-check"
import { addLineSetSums, alteredLine, findRewritten, layoutDistrust, lineAltered, lineRewritten, newSumSeed, walkedBefore } from "./quick"
import { missingClaimedBy, outsideChain, readPruned } from "./outside-chain"
import { readCheckpointsInParts } from "./read-checkpoints"
import { CHECKPOINT_TABLE, LOG_TABLE } from "./sql"
import { recordVerification } from "./verification-record"

export type MismatchKind =
  | "line_altered"
  | "line_missing"
  | "line_added"
  | "lines_changed"
  | "line_unsealed"
  | "checkpoint_missing"
  | "checkpoint_altered"
  | "chain_broken"
  | "range_gap"
  | "tombstone_gap"
  | "tombstone_invalid"
  | "line_time_invalid"
  | "unsigned"
  | "signature_invalid"
  | "erasure_invalid"
  | "erasure_unrecorded"
  | "erasure_partial"
  | "erasure_unsigned"
  | "erasure_signature_invalid"
  | "index_mismatch"
  | "anchor_mismatch"
  | "anchor_missing"
  | "layout_changed"

/** The first thing that failed: which checkpoint, which line when it can be named, and what. */
export type Mismatch = {
  kind: MismatchKind
  checkpoint: number | null
  line_id: string | null
  message: string
}

export type VerifyMode = "quick" | "full"

export type VerifyResult = {
  /** Whether everything checked verified. */
  verified: boolean
  /** The time of the newest line in the last checkpoint that verified (ISO, UTC), or null. */
  verified_through: string | null
  /** Checkpoints checked (tombstones included). */
  checkpoints: number
  /** Lines checked against their checkpoints. */
  lines: number
  /**
   * "quick": a line PostgreSQL shows as still the row its insert wrote has
   * its digest and personal-field hash trusted (they were computed by the
   * insert trigger); only rewritten lines are recomputed. "full": every
   * line's digest is recomputed from its fields.
   */
  mode: VerifyMode
  /** Lines whose digest was recomputed from their fields (all sealed lines in full mode). */
  recomputed_lines: number
  /** Why a quick verification was asked for and a full one ran instead, or null. */
  note: string | null
  /** Lines written since the last seal (checked at the next seal). */
  unsealed_lines: number
  /** Lines removed by retention, as the tombstones count them. */
  removed_lines: number
  /** Whether a signing key was used to check the signatures. */
  signed: boolean
  /** The checkpoint kept outside the database that was asked about, and what became of it; null when none was. */
  anchor: AnchorResult | null
  first_mismatch: Mismatch | null
  /**
   * Rows of the checkpoint table outside the chain (below seq 1, at the seqs
   * retention freed, tombstones retention didn't write), each named (at most
   * 100). The walk doesn't stop at them, so one can't hide a change to the
   * chain after it; the first of them is `first_mismatch` only when the
   * chain itself verified.
   */
  outside_chain: Mismatch[]
  /**
   * The log's triggers not as the migrations left them, and others on its tables (changedGuards),
   * read before the walk. Not a mismatch: what they let through is (a line
   * changed, removed or written unsealed); that they are down is the way
   * open for the next change.
   */
  guards_changed: ChangedGuard[]
  /**
   * Where the walk saw the guards' version change between two seals (and
   * since the newest, when it walked to the end): the triggers, functions,
   * rules or columns were changed in the catalog then, even if put back.
   * Not a mismatch either: the lines not sealed then are what it may have
   * let go. At most 100.
   */
  guards_rewritten: GuardsRewrite[]
}

/** Checkpoints read per query. */
const BATCH = 4000
/** Connections that recompute a batch's lines at once, by default (each a part of the batch's checkpoints). */
const PARALLEL = 2

/** Where a walk of the chain stopped: the mismatch, its checkpoint, and whether that checkpoint's lines stopped it. */
type Halt = { mismatch: Mismatch; at: number; atLines: boolean }

/**
 * Recomputes the whole chain: each checkpoint's digest, its link to the one
 * before, its signature (with a key), and the lines it sealed; tombstones
 * stand for the checkpoints and lines retention removed. Stops at the first
 * mismatch and names it.
 */
export async function verifyLog(
  sql: Sql,
  key: LogKey | null,
  options: { parallel?: number; full?: boolean; anchor?: KeptCheckpoint | null } = {}
): Promise<VerifyResult> {
  const kept = options.anchor ? new AnchorCheck(options.anchor) : null
  let mode: VerifyMode = options.full ? "full" : "quick"
  const distrust = mode === "quick" ? await layoutDistrust(sql) : null
  if (distrust) {
    mode = "full"
  }
  const result: VerifyResult = {
    verified: true,
    verified_through: null,
    checkpoints: 0,
    lines: 0,
    mode,
    recomputed_lines: 0,
    note: distrust ? `a full verification ran instead of a quick one: ${distrust}` : null,
    unsealed_lines: 0,
    removed_lines: 0,
    signed: !!key,
    anchor: kept?.result ?? null,
    first_mismatch: null,
    outside_chain: [],
    guards_changed: await changedGuards(sql),
    guards_rewritten: [],
  }
  const rewrites = new GuardsRewrites()
  result.guards_rewritten = rewrites.list
  const fail = (mismatch: Mismatch) => {
    result.verified = false
    result.first_mismatch = mismatch
    return result
  }
  // Tables whose columns aren't the ones verification reads are named, not failed on.
  const layout = await layoutChanged(sql)
  if (layout) {
    return fail(layout)
  }

  const pruned = await readPruned(sql, key)
  const outsideRows = await outsideChain(sql, pruned)
  result.outside_chain = outsideRows
  if (pruned.gap) {
    return fail(pruned.gap)
  }
  const { through: prunedThrough, digest: prunedDigest, xid: prunedXid, tombstones } = pruned
  result.removed_lines = pruned.removedLines
  kept?.againstTombstones(tombstones, prunedThrough)
  const faultyById = new Map(pruned.faulty.map((f) => [f.tombstone.id, f.mismatch]))

  const { rows: [{ first_signed, last_seq, sealed_to, twice_seq, range_break }] } = await sql.raw(
    `select (select min("seq") from ${CHECKPOINT_TABLE} where "signature" is not null and "seq" > ?)::text as "first_signed",
            (select "seq" from ${CHECKPOINT_TABLE} group by "seq" having count(*) > 1 order by "seq" limit 1)::text as "twice_seq",
            (select min("seq") from (
               select "seq", "from_xid", "to_xid", lag("to_xid") over (order by "seq") as "prev_to"
                 from ${CHECKPOINT_TABLE} where "kind" = 'seal' and "seq" > ?) s
              where s."to_xid" < s."from_xid" or s."from_xid" <> coalesce(s."prev_to", s."from_xid"))::text as "range_break",
            (select coalesce(max("seq"), 0) from ${CHECKPOINT_TABLE})::text as "last_seq",
            (select coalesce(max("to_xid"), ?::bigint) from ${CHECKPOINT_TABLE} where "kind" = 'seal' and "seq" > ?)::text as "sealed_to"`,
    [String(prunedThrough), String(prunedThrough), String(prunedXid), String(prunedThrough)]
  )
  if (twice_seq != null) {
    return fail({ kind: "chain_broken", checkpoint: Number(twice_seq), line_id: null, message: `checkpoint ${twice_seq} is in the chain twice` })
  }
  // The checkpoints there now are walked; lines sealed while verification
  // runs are checked as unsealed ones, each recomputed. They are read in
  // batches of seqs from just past the pruned ones (whose removal may still
  // be under way), with their lines; the next batch is read while this
  // process checks one.
  // The seed of the sums that compare the table with the index.
  const seed = newSumSeed()
  const lastSeq = BigInt(last_seq)
  const batchEnd = (from: bigint) => (from + BigInt(BATCH) - 1n < lastSeq ? from + BigInt(BATCH) - 1n : lastSeq)
  const linesBefore = range_break == null ? null : BigInt(range_break)
  const readBatch = (from: bigint) => readCheckpointsInParts(sql, from, batchEnd(from), options.parallel ?? PARALLEL, mode, seed, linesBefore)
  // Started ahead, awaited in turn: one left behind by a mismatch must not reject unheard.
  const ahead = <T>(promise: Promise<T>) => {
    promise.catch(() => undefined)
    return promise
  }
  // Quick verification's scan of the table runs beside the walk (one more
  // connection, and PostgreSQL's parallel workers): the walk needs what it
  // found only at its end, or where it stops.
  const rewrittenRead = mode === "quick" ? ahead(findRewritten(sql, String(prunedXid), sealed_to, seed)) : null
  let indexSums = "0"
  // Where the walk stopped, and whether at a checkpoint's lines (a line altered in it comes first then).
  let halt: Halt | null = null
  const halted = (mismatch: Mismatch, atLines = false): Halt => ({ mismatch, at: mismatch.checkpoint ?? 0, atLines })
  let expectedSeq = prunedThrough + 1n
  let prevDigest = prunedDigest
  let prevToXid = prunedXid
  let lastLineAt: string | null = null
  // Where the first signed seal checkpoint the walk checked starts: unsigned erasure records count only before it.
  let signedFromXid: bigint | null = null
  let next = expectedSeq <= lastSeq ? ahead(readBatch(expectedSeq)) : null
  walk: for (let from = expectedSeq; next; from += BigInt(BATCH)) {
    const rows = await next
    next = from + BigInt(BATCH) <= lastSeq ? ahead(readBatch(from + BigInt(BATCH))) : null
    for (const checkpoint of rows) {
      const seq = BigInt(checkpoint.seq)
      const n = Number(seq)
      if (seq !== expectedSeq) {
        halt = halted({ kind: "checkpoint_missing", checkpoint: Number(expectedSeq), line_id: null, message: `checkpoint ${expectedSeq} is missing` })
        break walk
      }
      // A tombstone retention didn't write, where the walk reaches it.
      const faulty = faultyById.get(checkpoint.id)
      if (faulty) {
        halt = halted(faulty)
        break walk
      }
      if (checkpoint.prev_digest !== prevDigest) {
        halt = halted({ kind: "chain_broken", checkpoint: n, line_id: null, message: `checkpoint ${n} does not follow the checkpoint before it` })
        break walk
      }
      if (checkpointDigest(checkpoint) !== checkpoint.digest) {
        halt = halted({ kind: "checkpoint_altered", checkpoint: n, line_id: null, message: `checkpoint ${n} was changed after it was written` })
        break walk
      }
      if (key) {
        if (checkpoint.signature == null) {
          // Unsigned checkpoints count only before the first signed one (the log had no key then),
          // and a tombstone, which lets what it stands for be deleted, only without a key;
          // none after a checkpoint kept outside the database.
          if (first_signed == null || seq > BigInt(first_signed) || checkpoint.kind === "tombstone" || kept?.isAfter(seq)) {
            halt = halted({ kind: "unsigned", checkpoint: n, line_id: null, message: `checkpoint ${n} is not signed, though a signing key is set` })
            break walk
          }
        } else if (checkpoint.key_id !== key.id || !signatureValid(key, checkpoint.digest, checkpoint.signature)) {
          halt = halted({ kind: "signature_invalid", checkpoint: n, line_id: null, message: `checkpoint ${n} is not signed with this key` })
          break walk
        }
      }
      const replaced = kept?.at(checkpoint)
      if (replaced) {
        halt = halted(replaced)
        break walk
      }
      if (checkpoint.kind === "seal") {
        if (BigInt(checkpoint.from_xid) !== prevToXid || BigInt(checkpoint.to_xid) < prevToXid) {
          halt = halted({ kind: "range_gap", checkpoint: n, line_id: null, message: `checkpoint ${n} does not start where the checkpoint before it ended` })
          break walk
        }
        prevToXid = BigInt(checkpoint.to_xid)
        rewrites.see(checkpoint)
        signedFromXid ??= checkpoint.signature == null ? null : BigInt(checkpoint.from_xid)
        if (checkpoint.bad_line) {
          halt = halted(await changedLine(sql, checkpoint.bad_line, n))
          break walk
        }
        if (checkpoint.found_count !== checkpoint.line_count || checkpoint.found_digest !== checkpoint.lines_digest) {
          const lost = await diffLines(sql, checkpoint)
          halt = halted(lost ?? { kind: "lines_changed", checkpoint: n, line_id: null, message: `the lines of checkpoint ${n} are not the ones it sealed` }, true)
          break walk
        }
        const late = await lineDatedAfterSeal(sql, checkpoint)
        if (late) {
          halt = halted(late, true)
          break walk
        }
        result.lines += Number(checkpoint.line_count)
        // Full verification recomputes every line it checks.
        result.recomputed_lines += mode === "full" ? Number(checkpoint.line_count) : 0
        indexSums = rewrittenRead ? addLineSetSums(indexSums, checkpoint.sums) : indexSums
        lastLineAt = checkpoint.last_line_at ?? lastLineAt
      }
      result.checkpoints++
      result.verified_through = lastLineAt
      prevDigest = checkpoint.digest
      expectedSeq = seq + 1n
    }
    // A batch ends with its last seq: the ones missing at its end are named here.
    if (expectedSeq <= batchEnd(from)) {
      halt = halted({ kind: "checkpoint_missing", checkpoint: Number(expectedSeq), line_id: null, message: `checkpoint ${expectedSeq} is missing` })
      break
    }
  }
  // A checkpoint kept outside, past where the chain now ends.
  const dropped = halt ? null : kept?.end(expectedSeq - 1n)
  if (!halt) {
    await rewrites.sinceNewest(sql)
  }
  halt = dropped ? halted(dropped) : halt
  const rewritten = await rewrittenRead
  result.recomputed_lines += rewritten?.count ?? 0
  // A rewritten line whose fields no longer give its digest, in a checkpoint
  // before the one the walk stopped at (or in it, when its lines stopped it).
  const altered = rewritten?.firstAltered ? await alteredLine(sql, rewritten.firstAltered, prunedThrough + 1n, lastSeq) : null
  if (altered && (!halt || altered.checkpoint! < halt.at || (altered.checkpoint === halt.at && halt.atLines))) {
    Object.assign(result, await walkedBefore(sql, prunedThrough, altered.checkpoint!))
    return fail(altered)
  }
  if (halt) {
    return fail(missingClaimedBy(halt.mismatch, pruned))
  }
  result.checkpoints += tombstones.filter((t) => BigInt(t.seq) <= prunedThrough).length
  if (rewritten && rewritten.sums !== indexSums) {
    return fail({
      kind: "index_mismatch",
      checkpoint: null,
      line_id: null,
      message:
        "the log's (xact_id, id) index does not hold the lines and digests its table holds: run a full verification, and rebuild the index (REINDEX INDEX \"IDX_login_as_customer_log_entry_xact_id_id_digest\")",
    })
  }

  // Lines outside the chain: written with the insert trigger off (no
  // transaction id or digest). Lines not sealed yet are checked against the
  // digest their insert stored.
  // Also written around it: a line below the walked ranges (a negative
  // transaction id, or one in a range retention removed) that isn't the row
  // its insert wrote, and a line of a transaction that hasn't begun yet.
  const { rows: [outside] } = await sql.raw(
    `select coalesce(
              (select "id" from ${LOG_TABLE} where "xact_id" is null or "digest" is null order by "id" limit 1),
              (select l."id" from ${LOG_TABLE} l where l."xact_id" < ? and ${lineRewritten("l")} order by l."xact_id", l."id" limit 1),
              (select "id" from ${LOG_TABLE}
                where "xact_id" >= pg_catalog.pg_snapshot_xmax(pg_catalog.pg_current_snapshot())::text::bigint
                order by "xact_id", "id" limit 1)) as "unsealable",
            (select count(*) from ${LOG_TABLE} where "xact_id" >= ?)::int as "unsealed",
            (select l."id" from ${LOG_TABLE} l where l."xact_id" >= ?
                and ${lineAltered("l")}
              order by l."xact_id", l."id" limit 1) as "altered"`,
    [String(prunedXid), String(prevToXid), String(prevToXid)]
  )
  if (outside?.altered) {
    return fail(await changedLine(sql, outside.altered, null))
  }
  if (outside?.unsealable) {
    return fail({
      kind: "line_unsealed",
      checkpoint: null,
      line_id: outside.unsealable,
      message: `line ${outside.unsealable} was written around the log's insert trigger`,
    })
  }
  result.unsealed_lines = outside?.unsealed ?? 0
  const erasure = await checkErasures(sql, key, String(signedFromXid ?? prevToXid))
  if (erasure) {
    return fail(erasure)
  }
  return outsideRows.length ? fail(outsideRows[0]) : result
}

/** Verifies and keeps the answer (the settings page shows the last one). */
export async function verifyAndRecord(
  sql: Sql,
  key: LogKey | null,
  options: { full?: boolean; anchor?: KeptCheckpoint | null } = {}
): Promise<VerifyResult> {
  const started = Date.now()
  const result = await verifyLog(sql, key, options)
  await recordVerification(sql, key, result, Date.now() - started)
  return result
}
