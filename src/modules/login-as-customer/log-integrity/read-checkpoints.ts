import { Checkpoint, CHECKPOINT_CHAIN_COLUMNS, Sql } from "./checkpoint"
import { lineAltered, lineSetSums } from "./quick"
import { CHECKPOINT_TABLE, LOG_TABLE } from "./sql"
import type { VerifyMode } from "./verify"

/** PostgreSQL's largest bigint. */
const MAX_SEQ = 2n ** 63n - 1n

/** A checkpoint as verification reads it: its chain columns and, for a seal, what its lines are now. */
export type ReadCheckpoint = Checkpoint & {
  found_count: string
  found_digest: string
  bad_line: string | null
  sums: string
  /** When the checkpoint was written (the database's time; not in its digest, and the table is append-only). */
  sealed_at: Date
}

/**
 * The checkpoints from seq `from` to `to`, in seq order, each with what its
 * lines are now when it is a seal: their count and the digest over their
 * stored digests, one index range per checkpoint; in full verification also
 * the first line, in (xact_id, id) order as the seal orders them, whose
 * fields no longer give its stored digest. Computed in PostgreSQL with its
 * own functions only. Quick verification reads only the index (it holds
 * each line's digest, `Migration20261202100002`), well under a microsecond a
 * line; recomputing a line's digest from its fields costs 15 to 20.
 * `npm run bench:verify` measures both.
 */
async function readCheckpoints(
  sql: Sql,
  from: bigint,
  to: bigint,
  mode: VerifyMode,
  seed: string,
  linesBefore: bigint | null,
  safe = false
): Promise<ReadCheckpoint[]> {
  // A stored digest that isn't one (the insert trigger writes 64 hex digits)
  // fails decode(); the batch is then read again with such digests left out
  // of the lines' digest, which then differs from the sealed one.
  const digest = safe ? `(case when l."digest" ~ '^[0-9a-f]{64}$' then l."digest" else '' end)` : `l."digest"`
  const recompute =
    mode === "full"
      ? `(pg_catalog.array_agg(l."id" order by l."xact_id", l."id") filter (where ${lineAltered("l")}))[1] as "bad_line", '0' as "sums"`
      : `null::text as "bad_line", ${lineSetSums("l", seed)} as "sums"`
  const { rows } = await sql.raw(
    `select ${CHECKPOINT_CHAIN_COLUMNS}, ${CHECKPOINT_TABLE}."created_at" as "sealed_at", x.*
       from ${CHECKPOINT_TABLE}
       cross join lateral (
         select count(*)::text as "found_count",
                pg_catalog.encode(pg_catalog.sha256(coalesce(string_agg(pg_catalog.decode(${digest}, 'hex'), ''::bytea order by l."xact_id", l."id"), ''::bytea)), 'hex') as "found_digest",
                ${recompute}
           from ${LOG_TABLE} l
          where ${CHECKPOINT_TABLE}."kind" = 'seal' and ${CHECKPOINT_TABLE}."seq" < ?
            and l."xact_id" >= ${CHECKPOINT_TABLE}."from_xid" and l."xact_id" < ${CHECKPOINT_TABLE}."to_xid"
       ) x
      where ${CHECKPOINT_TABLE}."seq" between ? and ?
      order by ${CHECKPOINT_TABLE}."seq"`,
    // (A seq of 2^63 - 1, PostgreSQL's largest bigint, is a row inserted by SQL: its lines aren't read.)
    [String(linesBefore ?? (to < MAX_SEQ ? to + 1n : MAX_SEQ)), String(from), String(to)]
  ).catch((error: { code?: string }) => {
    if (safe || error.code !== "22023") throw error
    return { rows: null }
  })
  return (rows as ReadCheckpoint[] | null) ?? readCheckpoints(sql, from, to, mode, seed, linesBefore, true)
}

/**
 * readCheckpoints over `parallel` parts of the seqs `from` to `to` at once:
 * each part a query of its own, on its own connection when `sql` is a pool
 * (a transaction runs them one after the other). Reading the lines is what
 * verification spends its time on, and one query uses one core. Lines are
 * read only for checkpoints before `linesBefore` (where the seals' ranges
 * stop following each other: past it, rows inserted with ranges of their
 * own would each have every line in their range read, and verification
 * stops there anyway).
 */
export async function readCheckpointsInParts(
  sql: Sql,
  from: bigint,
  to: bigint,
  parallel: number,
  mode: VerifyMode,
  seed: string,
  linesBefore: bigint | null = null
): Promise<ReadCheckpoint[]> {
  const size = (to - from) / BigInt(Math.max(1, parallel)) + 1n
  const parts: Array<Promise<ReadCheckpoint[]>> = []
  for (let at = from; at <= to; at += size) {
    parts.push(readCheckpoints(sql, at, at + size - 1n < to ? at + size - 1n : to, mode, seed, linesBefore))
  }
  return (await Promise.all(parts)).flat()
}
