import type { LogKey } from "./key"
import { chainEnd } from "./chain-end"
import { appendCheckpoint, Checkpoint, CHECKPOINT_COLUMNS, checkpointDigest, Sql, SqlWithTransactions } from "./checkpoint"
import { guardsVersion } from "./guards-version"
import { CHECKPOINT_TABLE, LINE_ORDER, LOG_TABLE } from "./sql"

/** The most a seal checkpoint's list of line ids may hold, in bytes (a normal line's id is 31). */
export const MAX_LINE_IDS_BYTES = 32 * 1024 * 1024

/** A checkpoint a seal wrote, and whether the log's guards changed in the catalog since the seal before. */
export type SealedCheckpoint = Checkpoint & { guards_rewritten: boolean }

/** Serializes seals (and retention) across every server and worker. */
export const SEAL_LOCK = "login_as_customer:log-seal"

/**
 * Where the chain's seals end (the next seal starts there): the checkpoint
 * whose range end is that of the chain's newest seal, found from the chain's
 * own end (`chainEnd`) back along the links its rows vouch for (each the one
 * whose digest, its own, the next one names as the one before it). That is
 * the newest seal still there, or, when every checkpoint after the newest
 * tombstone's range is a tombstone, that tombstone: it ends where the last
 * seal it stands for ended. A tombstone retention appended stands for the
 * oldest seals only, and the young ones it left are between those and
 * itself; a later run may remove them too, with older tombstones left
 * between (two runs with no seal between them). Null before the first seal.
 * No other row moves it: rows appended past the end (which stop sealing,
 * `chainEnd`), below 1, or inserted at the seqs of seals retention removed
 * (which verification never walks) would otherwise, with a range far ahead,
 * stop every seal from taking new lines while Log health counted them sealed.
 */
export async function sealedEnd(sql: Sql, end: Checkpoint | null): Promise<Checkpoint | null> {
  let newest: Checkpoint | null = null
  for (let c = end; c; ) {
    if (c.kind !== "tombstone") {
      return c
    }
    newest ??= c
    if (newest.to_seq != null && BigInt(c.seq) - 1n <= BigInt(newest.to_seq)) {
      return newest
    }
    const { rows } = (await sql.raw(
      `select ${CHECKPOINT_COLUMNS} from ${CHECKPOINT_TABLE} where "seq" = ? and "digest" = ?`,
      [String(BigInt(c.seq) - 1n), c.prev_digest]
    )) as { rows: Checkpoint[] }
    c = rows.find((row) => checkpointDigest(row) === row.digest) ?? null
  }
  return null
}

/**
 * The seal's horizon: the oldest transaction of this database still running
 * when the statement starts, or the snapshot's xmax when none is.
 *
 * The snapshot lists the running transactions of the whole server; one that
 * pg_stat_activity shows in another database can't write this log, so it
 * doesn't hold sealing back (another store or application on the same server
 * may keep a transaction open for minutes). A running transaction not shown
 * there (ended since, prepared, or another role's without pg_read_all_stats)
 * counts as this database's: the horizon is never later than it may be.
 */
const HORIZON_SQL = `
  with "s" as (select pg_catalog.pg_current_snapshot() as "snap")
  select coalesce(
           (select min("x") from "s", pg_catalog.pg_snapshot_xip("s"."snap") as "x"
             where not exists (
               select 1 from pg_catalog.pg_stat_activity a
                where a."backend_xid"::text::bigint = ("x"::text::numeric % 4294967296)
                  and a."datname" <> pg_catalog.current_database())),
           (select pg_catalog.pg_snapshot_xmax("snap") from "s"))::text as "horizon"`

/**
 * Seals the lines written since the last seal into one checkpoint.
 *
 * Which lines: those whose writing transaction (`xact_id`) is older than the
 * oldest transaction of this database still running when the seal starts
 * (`HORIZON_SQL`). Every such transaction has ended, so no line can still
 * appear in the range: a line committed after the seal, even with an earlier
 * `created_at`, has a newer `xact_id` and goes into the next checkpoint. Nothing
 * is lost, nothing is sealed twice (ranges are contiguous: each starts where
 * the last ended), and writers take no lock. Seals take a transaction-scoped
 * advisory lock, so two workers never seal at once.
 *
 * It chains onto the chain's own end (`chainEnd`): a row someone appended
 * past it by SQL stops it with an error (nothing sealed) rather than have
 * it sign after that row; verification names the row.
 *
 * It keeps the catalog's version of the log's guards (guardsVersion) in
 * the checkpoint; `guards_rewritten` says it differs from the one the seal
 * before kept.
 *
 * Returns the new checkpoint, or null when there was nothing new.
 */
export async function sealLog(
  knex: SqlWithTransactions,
  key: LogKey | null
): Promise<SealedCheckpoint | null> {
  return knex.transaction(async (trx) => {
    await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [SEAL_LOCK])
    const {
      rows: [{ horizon }],
    } = await trx.raw(HORIZON_SQL)
    const { end: previous, foreign } = await chainEnd(trx, key)
    if (foreign) {
      throw new Error(
        `Login as Customer: sealing stopped: ${foreign.reason}, so the seal job can't chain onto it; nothing was sealed. Verify the log (POST /admin/login-as-customer/log/verify)`
      )
    }
    const sealed = await sealedEnd(trx, previous)
    const from_xid = sealed ? String(BigInt(sealed.to_xid)) : "0"
    if (BigInt(horizon) <= BigInt(from_xid)) {
      return null
    }
    // Read in a later statement than the horizon (read committed: a newer
    // snapshot), so every transaction below the horizon is visible if it committed.
    const {
      rows: [lines],
    } = await trx.raw(
      `select count(*)::text as "line_count",
              pg_catalog.encode(pg_catalog.sha256(coalesce(string_agg(pg_catalog.decode("digest", 'hex'), ''::bytea order by ${LINE_ORDER}), ''::bytea)), 'hex') as "lines_digest",
              pg_catalog.to_char(min("created_at") at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "first_line_at",
              pg_catalog.to_char(max("created_at") at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "last_line_at",
              coalesce(sum(pg_catalog.octet_length("id")), 0)::text as "ids_bytes"
         from ${LOG_TABLE}
        where "xact_id" >= ? and "xact_id" < ?`,
      [from_xid, horizon]
    )
    if (lines.line_count === "0") {
      return null
    }
    // The ids, which only name a line a checkpoint lost or gained, are kept
    // while they fit: lines inserted by SQL with ids of kilobytes each would
    // otherwise make a list node can't hold, and stop every seal after it.
    // A checkpoint without its list is still checked line by line through
    // its lines' digest (verification then names the checkpoint, not a line).
    const lineIds =
      BigInt(lines.ids_bytes) <= BigInt(MAX_LINE_IDS_BYTES)
        ? ((
            await trx.raw(
              `select coalesce(pg_catalog.array_agg("id" order by ${LINE_ORDER}), array[]::text[]) as "line_ids"
                 from ${LOG_TABLE} where "xact_id" >= ? and "xact_id" < ?`,
              [from_xid, horizon]
            )
          ).rows[0].line_ids as string[])
        : null
    const guards_digest = await guardsVersion(trx)
    const checkpoint = await appendCheckpoint(
      trx,
      previous,
      {
        kind: "seal",
        from_xid,
        to_xid: horizon,
        from_seq: null,
        to_seq: null,
        line_count: lines.line_count,
        lines_digest: lines.lines_digest,
        anchor_digest: null,
        first_line_at: lines.first_line_at,
        last_line_at: lines.last_line_at,
        guards_digest,
      },
      key,
      lineIds
    )
    // Whether the guards' version changed since the seal before (that one had one).
    const guards_rewritten = sealed?.kind === "seal" && sealed.guards_digest != null && sealed.guards_digest !== guards_digest
    return { ...checkpoint, guards_rewritten }
  })
}
