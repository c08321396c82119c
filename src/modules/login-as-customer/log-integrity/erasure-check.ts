import type { Sql } from "./checkpoint"
import { erasureRecordSigned } from "./erase"
import type { LogKey } from "./key"
import { CHECKPOINT_TABLE, erasedAsErasureLeavesSql, LOG_TABLE } from "./sql"

export type ErasureMismatch = {
  kind: "erasure_invalid" | "erasure_unrecorded" | "erasure_partial" | "erasure_unsigned" | "erasure_signature_invalid"
  checkpoint: number | null
  line_id: string
  message: string
}

type ErasureRecord = {
  id: string
  xact_id: string
  customer_id: string | null
  key_id: string | null
  signature: string | null
  before_key: boolean
}

/**
 * Checks the log's erasures, which the line digests can't (the erased fields
 * count only through `pii_hash`, and with the salt gone it can't be
 * recomputed).
 *
 * With a key, first the erasure records (`personal_data_erased` lines, read
 * here: they are few): each must carry a signature of itself with this key
 * (erase.ts, `signErasureRecord`), which whoever can run SQL as the app but
 * hasn't the key can't make. One with a signature that isn't this key's is
 * `erasure_signature_invalid`; one without a signature is `erasure_unsigned`,
 * unless it was written before the log's first signed seal checkpoint
 * (`signedFromXid`: where the first signed seal the walk of the chain
 * checked starts, or, when it checked none, where its sealed ranges end; its
 * transaction id below that: written while the log had no
 * key, by a version that didn't sign records; the insert trigger gives a
 * line its own transaction's id, and one put there with the triggers off is
 * a line added to a sealed checkpoint, which the chain names). The record is named,
 * and the erased lines only it would record are counted in the message.
 * Without a key every record counts, as checkpoints then go unsigned.
 *
 * Then, with the records that count: every erased line (salt dropped) is
 * about a customer, its customer email is null or exactly that customer's
 * pseudonym, and no personal detail is left (`erasure_invalid`); a record
 * for that customer was written after it (`erasure_unrecorded`). For every
 * record: no line of that customer written before it still holds personal
 * data (`erasure_partial`; an earlier erasure's record holds only the
 * pseudonym, checked by its digest). Names the first offending line.
 */
export async function checkErasures(sql: Sql, key: LogKey | null, signedFromXid: string): Promise<ErasureMismatch | null> {
  // The ids of the records that count; null: all (no key).
  let valid: string[] | null = null
  if (key) {
    const { rows } = (await sql.raw(
      `select r."id", r."xact_id"::text as "xact_id", r."customer_id",
              r."details" ->> 'key_id' as "key_id", r."details" ->> 'signature' as "signature",
              r."xact_id" < ?::bigint as "before_key"
         from ${LOG_TABLE} r
        where r."action" = 'personal_data_erased'
        order by r."xact_id", r."id"`,
      [signedFromXid]
    )) as { rows: ErasureRecord[] }
    const counted = (r: ErasureRecord) =>
      r.signature == null
        ? r.before_key
        : erasureRecordSigned(key, { id: r.id, xact_id: r.xact_id, customer_id: r.customer_id as string, key_id: r.key_id, signature: r.signature })
    valid = rows.filter(counted).map((r) => r.id)
    const bad = rows.find((r) => !counted(r))
    if (bad) {
      return await recordMismatch(sql, bad, valid)
    }
  }
  const { rows: [found] } = await sql.raw(
    `select * from (
       (select 1 as "rank", 'erasure_invalid' as "kind", l."id", l."xact_id" from ${LOG_TABLE} l
         where l."pii_salt" is null and not ${erasedAsErasureLeavesSql("l")}
         order by l."xact_id", l."id" limit 1)
       union all
       (select 2, 'erasure_unrecorded', l."id", l."xact_id" from ${LOG_TABLE} l
         where l."pii_salt" is null and not exists (
           select 1 from ${LOG_TABLE} r
            where r."action" = 'personal_data_erased' and r."customer_id" = l."customer_id" and r."xact_id" > l."xact_id"
              and (?::text[] is null or r."id" = any(?::text[])))
         order by l."xact_id", l."id" limit 1)
       union all
       (select 3, 'erasure_partial', l."id", l."xact_id"
          from (select "customer_id", max("xact_id") as "xact_id" from ${LOG_TABLE}
                 where "action" = 'personal_data_erased' and "customer_id" is not null
                   and (?::text[] is null or "id" = any(?::text[]))
                 group by "customer_id") r
          join ${LOG_TABLE} l on l."customer_id" = r."customer_id" and l."deleted_at" is null
         where l."pii_salt" is not null and l."xact_id" < r."xact_id" and l."action" <> 'personal_data_erased'
         order by l."xact_id", l."id" limit 1)
     ) x_ order by "rank" limit 1`,
    [valid, valid, valid, valid]
  )
  if (!found) {
    return null
  }
  const line = found.id as string
  const messages: Record<string, string> = {
    erasure_invalid: `line ${line} was erased, but not as erasure leaves a line (its customer's pseudonym, no personal detail)`,
    erasure_unrecorded: key
      ? `line ${line} was erased, but no personal_data_erased line signed with this key (or written before the log's first signed checkpoint) records that erasure`
      : `line ${line} was erased, but no personal_data_erased line records that erasure`,
    erasure_partial: `line ${line} still holds personal data, though its customer's erasure is recorded after it`,
  }
  return { kind: found.kind, checkpoint: await sealedIn(sql, found.xact_id), line_id: line, message: messages[found.kind] }
}

/** The seal checkpoint of a line's transaction id, or null (not sealed yet). */
async function sealedIn(sql: Sql, xactId: string): Promise<number | null> {
  const { rows: [{ seq }] } = await sql.raw(
    `select (select c."seq"::text from ${CHECKPOINT_TABLE} c
              where c."kind" = 'seal' and ?::bigint >= c."from_xid" and ?::bigint < c."to_xid" limit 1) as "seq"`,
    [xactId, xactId]
  )
  // As text: a row inserted by SQL may have a seq past what an int holds.
  return seq == null ? null : Number(seq)
}

/**
 * An erasure record that doesn't count (unsigned, or not signed with this
 * key), named, with the erased lines of its customer before it that no
 * record that counts covers: the personal data it would account for.
 */
async function recordMismatch(sql: Sql, record: ErasureRecord, valid: string[]): Promise<ErasureMismatch> {
  const { rows: [covered] } = await sql.raw(
    `select count(*)::int as "count", (pg_catalog.array_agg(l."id" order by l."xact_id", l."id"))[1] as "first"
       from ${LOG_TABLE} l
      where l."customer_id" = ? and l."pii_salt" is null and l."xact_id" < ?::bigint
        and not exists (
          select 1 from ${LOG_TABLE} r
           where r."action" = 'personal_data_erased' and r."customer_id" = l."customer_id" and r."xact_id" > l."xact_id"
             and r."id" = any(?::text[]))`,
    [record.customer_id, record.xact_id, valid]
  )
  const what = `line ${record.id} records an erasure of customer ${record.customer_id}'s personal data`
  const why =
    record.signature == null
      ? "but is not signed, though a signing key is set and it was not written before the log's first signed checkpoint"
      : "but is not signed with this key"
  const lines =
    covered.count > 0
      ? `; ${covered.count} erased line${covered.count === 1 ? "" : "s"} of that customer before it ha${covered.count === 1 ? "s" : "ve"} no other record of their erasure, the first ${covered.first}`
      : ""
  return {
    kind: record.signature == null ? "erasure_unsigned" : "erasure_signature_invalid",
    checkpoint: await sealedIn(sql, record.xact_id),
    line_id: record.id,
    message: `${what} ${why}${lines}`,
  }
}
