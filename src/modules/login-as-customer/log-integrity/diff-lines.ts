import { Checkpoint, lineIdsDigest, Sql } from "./checkpoint"
import { CHECKPOINT_TABLE, LOG_TABLE } from "./sql"
import type { Mismatch } from "./verify"

/**
 * Which line a checkpoint lost or gained: its sealed id list against the
 * lines there now. The list is read only here, to name a line, and only a
 * list its checkpoint's digest covers (`line_ids_digest`) names one: a list
 * changed since names nothing (null). Older checkpoints, written before the
 * digest covered it, have no `line_ids_digest`; their list is taken as it is.
 */
export async function diffLines(sql: Sql, checkpoint: Checkpoint): Promise<Mismatch | null> {
  const seq = Number(checkpoint.seq)
  const { rows: [sealed] } = await sql.raw(`select "line_ids" from ${CHECKPOINT_TABLE} where "id" = ?`, [checkpoint.id])
  const ids: unknown = sealed?.line_ids
  if (
    !Array.isArray(ids) ||
    ids.some((id) => typeof id !== "string") ||
    (checkpoint.line_ids_digest != null && lineIdsDigest(ids) !== checkpoint.line_ids_digest)
  ) {
    return {
      kind: "lines_changed",
      checkpoint: seq,
      line_id: null,
      message: `the lines of checkpoint ${seq} are not the ones it sealed, and its list of their ids was changed too: no line can be named`,
    }
  }
  const { rows } = await sql.raw(
    `with "sealed" as (
       select u."line_id" as "id", u."n" from pg_catalog.unnest(?::text[]) with ordinality as u("line_id", "n")
     ), "present" as (
       select "id" from ${LOG_TABLE} where "xact_id" >= ? and "xact_id" < ?
     )
     select (select s."id" from "sealed" s where not exists (select 1 from "present" p where p."id" = s."id") order by s."n" limit 1) as "missing",
            (select p."id" from "present" p where not exists (select 1 from "sealed" s where s."id" = p."id") order by p."id" limit 1) as "added"`,
    [ids, checkpoint.from_xid, checkpoint.to_xid]
  )
  const { missing, added } = rows[0] ?? {}
  if (missing) {
    return { kind: "line_missing", checkpoint: seq, line_id: missing, message: `line ${missing}, sealed in checkpoint ${seq}, is missing` }
  }
  if (added) {
    return { kind: "line_added", checkpoint: seq, line_id: added, message: `line ${added} was not there when checkpoint ${seq} was sealed` }
  }
  return null
}
