import { toIso } from "../../../lib/dates"
import { chainEnd, tombstoneFault } from "./chain-end"
import { ChangedGuard, changedGuards } from "./guards"
import { Checkpoint, CHECKPOINT_COLUMNS, Sql } from "./checkpoint"
import type { LogKey } from "./key"
import { sealedEnd } from "./seal"
import { CHECKPOINT_TABLE, LOG_TABLE } from "./sql"
import { lastVerification, PassedOver, VerificationRecord } from "./verification-record"

export type LogHealth = {
  /** Lines in the log: exact up to 100 000, past that PostgreSQL's estimate. */
  lines: number
  lines_estimated: boolean
  /** The log table with its indexes and TOAST, in bytes. */
  size_bytes: number
  oldest_line_at: string | null
  /**
   * The chain's own newest checkpoint (`chainEnd`): a seal, or the tombstone
   * retention appended last; its seq and digest are what to keep outside the
   * database (`anchor` of verify). A row inserted by SQL is never it: past
   * the chain's end it stops sealing (`sealing_stopped`). `through` is the
   * newest sealed line's time, from the newest seal (`sealedEnd`), which may
   * come before a tombstone at the end.
   */
  last_seal: { seq: number; at: string; through: string | null; signed: boolean; digest: string } | null
  unsealed_lines: number
  /**
   * Set when the newest checkpoint row is not one the seal job or retention
   * wrote (inserted or changed by SQL): sealing stops until it is explained
   * (verify the log). `seq` is that row's, `reason` says what is wrong with it.
   */
  sealing_stopped: { seq: number; reason: string } | null
  /**
   * When the oldest line not sealed yet was written (its time, if it has
   * one), or null when every line is sealed. Lines are sealed within about
   * a minute: an older one means the seal job is failing or held back.
   */
  oldest_unsealed_at: string | null
  /** The database's time when this was read: what `oldest_unsealed_at` is compared with (not the browser's clock). */
  checked_at: string
  /** The newest verification's record (with a key, the newest signed with it). */
  last_verification: VerificationRecord | null
  /**
   * With a key, the records newer than `last_verification` (every one read
   * when it is null) not signed with it, which Log health passed over:
   * inserted by SQL. Reading stops at 20 000 (`at_least`).
   */
  verifications_passed_over: PassedOver
  /** Lines removed by retention so far: the counts of the tombstones retention wrote (with their own digest, signed with the key). */
  removed_lines: number
  /** Whether checkpoints are signed (a key is set). */
  signing_key: boolean
  /** The log's triggers not as the migrations left them, and triggers or rules that are not the plugin's (changedGuards); none when all are. */
  guards_changed: ChangedGuard[]
}

const EXACT_UP_TO = 100_000

/**
 * The log's own health, for the settings page: a handful of index reads, no
 * scan. Times a plain INSERT can make up are read only where they can be
 * shown: the oldest line that has a time (not `-infinity`), and the newest
 * verification not dated after now (lastVerification).
 */
export async function getLogHealth(sql: Sql, key: LogKey | null): Promise<LogHealth> {
  const { end, foreign } = await chainEnd(sql, key)
  const through = end ? String(BigInt(end.seq)) : "0"
  // How far lines are sealed: the chain's end may be a tombstone, and the young seals it left end later.
  const sealedBy = await sealedEnd(sql, end)
  const sealed = sealedBy ? String(BigInt(sealedBy.to_xid)) : "0"
  const { rows: [row] } = await sql.raw(
    `select pg_catalog.now() as "checked_at",
            (select count(*) from (select 1 from ${LOG_TABLE} limit ${EXACT_UP_TO + 1}) c)::int as "counted",
            (select reltuples::bigint from pg_class where oid = 'login_as_customer_log_entry'::regclass)::text as "estimate",
            pg_total_relation_size('login_as_customer_log_entry'::regclass)::text as "size_bytes",
            (select min("created_at") from ${LOG_TABLE} where "created_at" > '-infinity') as "oldest_line_at",
            (select count(*) from ${LOG_TABLE} where "xact_id" >= ${sealed})::int as "unsealed_lines",
            (select min("created_at") from ${LOG_TABLE}
              where "xact_id" >= ${sealed} and "created_at" > '-infinity' and "created_at" < 'infinity') as "oldest_unsealed_at"`
  )
  // One tombstone per retention run: a few hundred a year.
  const { rows: tombstones } = (await sql.raw(
    `select ${CHECKPOINT_COLUMNS} from ${CHECKPOINT_TABLE} where "kind" = 'tombstone' and "seq" >= 1 and "seq" <= ${through}`
  )) as { rows: Checkpoint[] }
  const verification = await lastVerification(sql, key)
  const guards = await changedGuards(sql)
  const removed = tombstones.filter((t) => !tombstoneFault(t, key)).reduce((sum, t) => sum + BigInt(t.line_count), 0n)
  const exact = row.counted <= EXACT_UP_TO
  return {
    lines: exact ? row.counted : Math.max(Number(row.estimate), row.counted),
    lines_estimated: !exact,
    size_bytes: Number(row.size_bytes),
    oldest_line_at: toIso(row.oldest_line_at),
    last_seal: end
      ? { seq: Number(end.seq), at: toIso(end.created_at)!, through: sealedBy?.last_line_at ?? end.last_line_at, signed: end.signature != null, digest: end.digest }
      : null,
    unsealed_lines: row.unsealed_lines,
    sealing_stopped: foreign,
    oldest_unsealed_at: toIso(row.oldest_unsealed_at),
    checked_at: toIso(row.checked_at)!,
    last_verification: verification.record,
    verifications_passed_over: verification.passed_over,
    removed_lines: Number(removed),
    signing_key: !!key,
    guards_changed: guards,
  }
}
