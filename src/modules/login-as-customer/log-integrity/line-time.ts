import type { Sql } from "./checkpoint"
import type { ReadCheckpoint } from "./read-checkpoints"
import { LOG_TABLE } from "./sql"
import type { Mismatch } from "./verify"

/** How far ahead of the database's clock a line's time may be (the insert trigger's bound, Migration20261202180001). */
const AHEAD_MS = 86_400_000
/** The earliest time a line may have (the same trigger's). */
const EARLIEST = "2000-01-01T00:00:00.000Z"

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
