import type { Sql } from "./checkpoint"
import { CHECKPOINT_TABLE, erasedAsErasureLeavesSql, LOG_TABLE } from "./sql"

export type ErasureMismatch = {
  kind: "erasure_invalid" | "erasure_unrecorded" | "erasure_partial"
  checkpoint: number | null
  line_id: string
  message: string
}

/**
 * Checks the log's erasures, which the line digests can't (the erased fields
 * count only through `pii_hash`, and with the salt gone it can't be
 * recomputed). For every erased line (salt dropped): it is about a customer,
 * its customer email is null or exactly that customer's pseudonym, and no
 * personal detail is left (`erasure_invalid`); a `personal_data_erased` line
 * for that customer was written after it (`erasure_unrecorded`). For every
 * recorded erasure: no line of that customer written before it still holds
 * personal data (`erasure_partial`; an earlier erasure's record holds only the
 * pseudonym, checked by its digest). Names the first offending line.
 */
export async function checkErasures(sql: Sql): Promise<ErasureMismatch | null> {
  const { rows: [found] } = await sql.raw(
    `select * from (
       (select 1 as "rank", 'erasure_invalid' as "kind", l."id", l."xact_id" from ${LOG_TABLE} l
         where l."pii_salt" is null and not ${erasedAsErasureLeavesSql("l")}
         order by l."xact_id", l."id" limit 1)
       union all
       (select 2, 'erasure_unrecorded', l."id", l."xact_id" from ${LOG_TABLE} l
         where l."pii_salt" is null and not exists (
           select 1 from ${LOG_TABLE} r
            where r."action" = 'personal_data_erased' and r."customer_id" = l."customer_id" and r."xact_id" > l."xact_id")
         order by l."xact_id", l."id" limit 1)
       union all
       (select 3, 'erasure_partial', l."id", l."xact_id"
          from (select "customer_id", max("xact_id") as "xact_id" from ${LOG_TABLE}
                 where "action" = 'personal_data_erased' and "customer_id" is not null group by "customer_id") r
          join ${LOG_TABLE} l on l."customer_id" = r."customer_id" and l."deleted_at" is null
         where l."pii_salt" is not null and l."xact_id" < r."xact_id" and l."action" <> 'personal_data_erased'
         order by l."xact_id", l."id" limit 1)
     ) x_ order by "rank" limit 1`
  )
  if (!found) {
    return null
  }
  const { rows: [{ seq }] } = await sql.raw(
    `select (select c."seq"::int from ${CHECKPOINT_TABLE} c
              where c."kind" = 'seal' and ?::bigint >= c."from_xid" and ?::bigint < c."to_xid" limit 1) as "seq"`,
    [found.xact_id, found.xact_id]
  )
  const line = found.id as string
  const messages: Record<ErasureMismatch["kind"], string> = {
    erasure_invalid: `line ${line} was erased, but not as erasure leaves a line (its customer's pseudonym, no personal detail)`,
    erasure_unrecorded: `line ${line} was erased, but no personal_data_erased line records that erasure`,
    erasure_partial: `line ${line} still holds personal data, though its customer's erasure is recorded after it`,
  }
  return { kind: found.kind, checkpoint: seq ?? null, line_id: line, message: messages[found.kind as ErasureMismatch["kind"]] }
}
