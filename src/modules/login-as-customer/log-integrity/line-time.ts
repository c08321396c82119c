import type { Sql } from "./checkpoint"
import type { ReadCheckpoint } from "./read-checkpoints"
import { LOG_TABLE } from "./sql"
import type { Mismatch } from "./verify"

/** How far ahead of the database's clock a line's time may be (the insert trigger's bound, Migration20261202180001). */
const AHEAD_MS = 86_400_000

/**
 * A seal whose newest line has a time that can't be right: none to compare
 * (`infinity`, or a year past 9999, which its text holds as five digits), or
 * more than a day after the checkpoint that sealed it was written. The app
 * never writes one, and retention counts such a seal as young for ever (its
 * lines and all after them would otherwise be kept silently). The line is
 * named; the insert trigger dates such a line now since
 * Migration20261202180001, so only one written before it, or with the
 * trigger off, is found.
 */
export async function lineDatedAfterSeal(sql: Sql, checkpoint: ReadCheckpoint): Promise<Mismatch | null> {
  if (checkpoint.kind !== "seal" || checkpoint.line_count === "0") {
    return null
  }
  const last = checkpoint.last_line_at
  const time = last && /^[0-9]{4}-/.test(last) ? Date.parse(last) : NaN
  if (!Number.isNaN(time) && time <= new Date(checkpoint.sealed_at).getTime() + AHEAD_MS) {
    return null
  }
  const {
    rows: [line],
  } = await sql.raw(
    `select "id" from ${LOG_TABLE}
      where "xact_id" >= ? and "xact_id" < ?
        and (not pg_catalog.isfinite("created_at") or "created_at" > ?::timestamptz + pg_catalog.make_interval(days => 1))
      order by "xact_id", "id" limit 1`,
    [checkpoint.from_xid, checkpoint.to_xid, new Date(checkpoint.sealed_at).toISOString()]
  )
  const n = Number(checkpoint.seq)
  const named = line ? `line ${line.id} is` : "a line is"
  return {
    kind: "line_time_invalid",
    checkpoint: n,
    line_id: line?.id ?? null,
    message: `${named} dated after checkpoint ${n} sealed it (retention keeps this checkpoint and every one after it)`,
  }
}
