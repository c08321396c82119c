import type { Sql } from "./checkpoint"
import type { ReadCheckpoint } from "./read-checkpoints"
import { LOG_TABLE } from "./sql"
import type { Mismatch } from "./verify"

/** How far ahead of the database's clock a line's time may be (the insert trigger's bound, Migration20261202180001). */
const AHEAD_MS = 86_400_000
/** The earliest time a line may have (the same trigger's). */
const EARLIEST = "2000-01-01T00:00:00.000Z"

/**
 * Whether line `l` is dated where its digest can't tell one time from
 * another: not a finite time (`infinity` and `-infinity` both give no text),
 * or before the year 2000, a date BC among them (the digest's text of a time
 * has no era, so a line moved to the same day BC keeps its digest). No line
 * the app writes is: the insert trigger dates such a line now since
 * Migration20261202180001. A later time needs no check here: moved within
 * the years AD a line's digest no longer matches, and one dated more than a
 * day after its seal when it was sealed is in that checkpoint's signed
 * `last_line_at` (lineDatedAfterSeal).
 */
export const lineTimeImpossible = (l: string) =>
  `(not pg_catalog.isfinite(${l}."created_at") or ${l}."created_at" < '${EARLIEST}'::timestamptz)`

/**
 * Line `id`, found changed (lineAltered, in checkpoint `checkpoint` or not
 * sealed yet when null), as a mismatch: `line_time_invalid` when its time is
 * one no line the app writes has, which its digest may still match, and
 * `line_altered` otherwise.
 */
export async function changedLine(sql: Sql, id: string, checkpoint: number | null): Promise<Mismatch> {
  const {
    rows: [line],
  } = await sql.raw(
    `select ${lineTimeImpossible("l")} as "impossible", pg_catalog.isfinite(l."created_at") as "finite",
            case when pg_catalog.isfinite(l."created_at")
                 then pg_catalog.to_char(l."created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z" BC')
                 else l."created_at"::text end as "time"
       from ${LOG_TABLE} l where l."id" = ? limit 1`,
    [id]
  )
  const unsealed = checkpoint == null ? " (not sealed yet)" : ""
  if (!line?.impossible) {
    return { kind: "line_altered", checkpoint, line_id: id, message: `line ${id}${unsealed} was changed after it was written` }
  }
  const why = line.finite
    ? "before 2000; no line the app writes is (a line's digest doesn't tell a date BC from the same date AD, so it may still match)"
    : "not a time; no line the app writes is"
  return { kind: "line_time_invalid", checkpoint, line_id: id, message: `line ${id}${unsealed} is dated ${line.time}, ${why}` }
}

/** Whether a checkpoint's text of a time (`first_line_at`, `last_line_at`) is one a line may have, sealed at `sealedAt`. */
function possible(text: string | null, sealedAt: number): boolean {
  const time = text && /^[0-9]{4}-/.test(text) ? Date.parse(text) : NaN
  return !Number.isNaN(time) && time >= Date.parse(EARLIEST) && time <= sealedAt + AHEAD_MS
}

/**
 * A seal whose oldest or newest line has a time that can't be right: none
 * to compare (`infinity`, or a year past 9999, which its text holds as five
 * digits), before the year 2000 (a date BC reads as a year AD in the text,
 * which has no era), or more than a day after the checkpoint that sealed it
 * was written. The app never writes one, and retention counts such a seal
 * as young for ever (its lines and all after them would otherwise be kept
 * silently). The line is named; the insert trigger dates such a line now
 * since Migration20261202180001, so only one written before it, or with the
 * trigger off, is found.
 */
export async function lineDatedAfterSeal(sql: Sql, checkpoint: ReadCheckpoint): Promise<Mismatch | null> {
  if (checkpoint.kind !== "seal" || checkpoint.line_count === "0") {
    return null
  }
  const sealedAt = new Date(checkpoint.sealed_at).getTime()
  if (possible(checkpoint.first_line_at, sealedAt) && possible(checkpoint.last_line_at, sealedAt)) {
    return null
  }
  const {
    rows: [line],
  } = await sql.raw(
    `select "id" from ${LOG_TABLE}
      where "xact_id" >= ? and "xact_id" < ?
        and (not pg_catalog.isfinite("created_at") or "created_at" < ?::timestamptz
             or "created_at" > ?::timestamptz + pg_catalog.make_interval(days => 1))
      order by "xact_id", "id" limit 1`,
    [checkpoint.from_xid, checkpoint.to_xid, EARLIEST, new Date(checkpoint.sealed_at).toISOString()]
  )
  const n = Number(checkpoint.seq)
  const named = line ? `line ${line.id} is` : "a line is"
  return {
    kind: "line_time_invalid",
    checkpoint: n,
    line_id: line?.id ?? null,
    message: `${named} dated before 2000 or after checkpoint ${n} sealed it (retention keeps this checkpoint and every one after it)`,
  }
}
