import { randomBytes } from "crypto"
import type { Sql } from "./checkpoint"
import { changedLine, lineTimeImpossible } from "./line-time"
import { CHECKPOINT_TABLE, lineDigestSql, LOG_TABLE, piiHashSql } from "./sql"
import type { Mismatch } from "./verify"

/*
 * What quick verification trusts, and the checks that earn it
 * (SECURITY.md, "Quick and full verification").
 */

/**
 * Whether line `l`'s stored digest (or, unless erased, personal-field hash)
 * isn't what its fields give now. Details that aren't a JSON object (the app
 * writes only objects) count as changed: the digest leaves some keys out of
 * them, which PostgreSQL can't do to a scalar or an array. So does a time
 * the digest can't tell from another (lineTimeImpossible: a date moved BC),
 * which changedLine names as such.
 */
export const lineAltered = (l: string) =>
  `(case when pg_catalog.jsonb_typeof(${l}."details") <> 'object' or ${lineTimeImpossible(l)} then true
         else (${l}."digest" is distinct from ${lineDigestSql(l)} or (${l}."pii_salt" is not null and ${l}."pii_hash" is distinct from ${piiHashSql(l)})) end)`

/**
 * Whether line `l` may no longer be the row its insert wrote. PostgreSQL
 * stamps every row version with the transaction that wrote it (`xmin`, the
 * low 32 bits of the 64-bit id the insert trigger stored in `xact_id`); an
 * UPDATE, or a DELETE and INSERT of the same line, writes a new version
 * stamped by a later transaction. Freezing keeps the stamp (PostgreSQL 9.4
 * and later), and so do VACUUM FULL and CLUSTER; a dump and restore, or a
 * line inserted in a subtransaction, gives another stamp, and such lines are
 * simply recomputed. Only an edit of the database's files underneath
 * PostgreSQL (or 2^32 transactions to reach the same stamp) could change a
 * line and keep its stamp: full verification recomputes every line to
 * catch that too. Compared as PostgreSQL's `xid = int4` does, with the
 * low 32 bits of `xact_id` as an int4 of the same bits (no text per line);
 * an `xact_id` no transaction has (negative) counts as rewritten.
 */
export const lineRewritten = (l: string) =>
  `(case when ${l}."xact_id" is null or ${l}."xact_id" < 0 then true
         else not (${l}."xmin" = (((${l}."xact_id" % 4294967296) - 2147483648)::int4 # (-2147483648))) end)`

/**
 * A seed for `lineSetSums`, drawn anew for each verification: a 64-bit
 * integer no one can know before the verification runs.
 */
export function newSumSeed(): string {
  return randomBytes(8).readBigInt64BE().toString()
}

/**
 * A 64-bit hash of a line's digest under `seed`, summed over a set of lines:
 * the same sum from the table and from the index quick verification reads
 * the digests from shows that both hold the same digests. The digest covers
 * the line's id and transaction id, and a line changed in the table passes
 * its recomputation only with a new digest, so the digests are what can
 * differ. Lines whose hashes sum to the same can't be prepared for a seed
 * drawn when the verification starts (with a fixed seed, many changed lines
 * could be chosen so that their differences cancel out).
 */
export const lineSetSums = (l: string, seed: string, filter = "true") =>
  `coalesce(sum(pg_catalog.hashtextextended(${l}."digest", ${BigInt(seed)}::int8)) filter (where ${filter}), 0)::text`

/** Adds two `lineSetSums` answers. */
export function addLineSetSums(a: string, b: string): string {
  return String(BigInt(a) + BigInt(b))
}

/**
 * The log table's columns, as the plugin's migrations made them, in their
 * order. Quick verification trusts a line's stored bytes; what those bytes
 * say depends on the columns: a rename, a column dropped and added again
 * (with a default PostgreSQL fills in for the old rows without rewriting
 * them), a generated column, or a view in the table's place would change
 * what old lines say and leave their stamps. `updated_at` is not covered.
 */
const LAYOUT: Array<[string, string]> = [
  ["id", "text"],
  ["event_id", "text"],
  ["action", "text"],
  ["actor_type", "text"],
  ["actor_id", "text"],
  ["user_id", "text"],
  ["user_email", "text"],
  ["customer_id", "text"],
  ["customer_email", "text"],
  ["session_id", "text"],
  ["details", "jsonb"],
  ["created_at", "timestamp with time zone"],
  ["deleted_at", "timestamp with time zone"],
  ["xact_id", "bigint"],
  ["digest", "text"],
  ["pii_hash", "text"],
  ["pii_salt", "text"],
]

/**
 * Why quick verification can't be trusted on this log, or null: the log is
 * not an ordinary table, or a column it covers is missing, of another type,
 * generated, filled in for old rows from a default, or out of its order.
 */
export async function layoutDistrust(sql: Sql): Promise<string | null> {
  const { rows } = await sql.raw(
    `select c."relkind", a."attname", a."attnum", pg_catalog.format_type(a."atttypid", a."atttypmod") as "type",
            a."attgenerated" <> '' as "generated", a."atthasmissing" as "filled"
       from pg_catalog.pg_class c
       left join pg_catalog.pg_attribute a on a."attrelid" = c."oid" and a."attnum" > 0 and not a."attisdropped"
      where c."oid" = pg_catalog.to_regclass(?)`,
    [LOG_TABLE]
  )
  if (!rows.length || rows[0].relkind !== "r") {
    return "the log is not an ordinary table"
  }
  const columns = new Map(rows.map((r: { attname: string }) => [r.attname, r]))
  let previous = 0
  for (const [name, type] of LAYOUT) {
    const column = columns.get(name) as { attnum: number; type: string; generated: boolean; filled: boolean } | undefined
    if (!column || column.type !== type || column.generated || column.filled || column.attnum <= previous) {
      return `the log's column "${name}" is not as the plugin's migrations made it`
    }
    previous = column.attnum
  }
  return null
}

/** Added to an `xact_id` so that its digits, padded, sort as the number does, negative ones too. */
const XACT_OFFSET = 2n ** 63n

export type Rewritten = {
  count: number
  firstAltered: { xact_id: bigint; id: string } | null
  /** lineSetSums of the lines with an `xact_id` in the walked range, read from the table, under the verification's seed. */
  sums: string
}

/**
 * Quick verification's scan of the table (PostgreSQL's parallel workers
 * share it): the lines sealed below `sealedTo` that were rewritten since
 * their insert, the first line, in (xact_id, id) order, among the rewritten
 * lines from `fromXid` on whose fields no longer give its stored digest
 * (only those lines are recomputed), and the sums of the lines from
 * `fromXid` to `sealedTo`. Each line's stamp is compared once; the rewritten
 * lines, when there are any, are looked at in a second scan.
 */
export async function findRewritten(sql: Sql, fromXid: string, sealedTo: string, seed: string): Promise<Rewritten> {
  const { rows: [scan] } = await sql.raw(
    `select (count(*) filter (where ${lineRewritten("l")}))::int as "rewritten",
            ${lineSetSums("l", seed, `l."xact_id" >= ? and l."xact_id" < ?`)} as "sums"
       from ${LOG_TABLE} l
      where l."xact_id" is not null`,
    [fromXid, sealedTo]
  )
  const { rows: [row] } = scan?.rewritten
    ? await sql.raw(
        `select (count(*) filter (where l."xact_id" < ?))::int as "count",
                min(pg_catalog.lpad((l."xact_id"::numeric + ${XACT_OFFSET})::text, 20, '0') || ' ' || l."id")
                  filter (where l."xact_id" >= ? and ${lineAltered("l")}) as "first_altered"
           from ${LOG_TABLE} l
          where l."xact_id" is not null and ${lineRewritten("l")}`,
        [sealedTo, fromXid]
      )
    : { rows: [{ count: 0, first_altered: null }] }
  const first = row?.first_altered as string | null
  const at = first ? first.indexOf(" ") : -1
  return {
    count: row?.count ?? 0,
    firstAltered: first ? { xact_id: BigInt(first.slice(0, at)) - XACT_OFFSET, id: first.slice(at + 1) } : null,
    sums: scan?.sums ?? "0",
  }
}

/** The rewritten line `line` as a mismatch, named with the walked seal checkpoint (seqs `from` to `to`) that holds it, or null. */
export async function alteredLine(sql: Sql, line: { xact_id: bigint; id: string }, from: bigint, to: bigint): Promise<Mismatch | null> {
  const { rows: [found] } = await sql.raw(
    `select "seq"::text as "seq" from ${CHECKPOINT_TABLE}
      where "kind" = 'seal' and "seq" between ? and ? and ?::bigint >= "from_xid" and ?::bigint < "to_xid"
      order by ${CHECKPOINT_TABLE}."seq" limit 1`,
    [String(from), String(to), String(line.xact_id), String(line.xact_id)]
  )
  return found ? changedLine(sql, line.id, Number(found.seq)) : null
}

/** What a walk of the chain verified before checkpoint `seq`: the checkpoints past the pruned ones, their lines, the time of the last line. */
export async function walkedBefore(sql: Sql, prunedThrough: bigint, seq: number) {
  const { rows: [row] } = await sql.raw(
    `select count(*)::int as "checkpoints", coalesce(sum("line_count") filter (where "kind" = 'seal'), 0)::text as "lines",
            (select "last_line_at" from ${CHECKPOINT_TABLE}
              where "kind" = 'seal' and "seq" > ? and "seq" < ? and "last_line_at" is not null
              order by ${CHECKPOINT_TABLE}."seq" desc limit 1) as "verified_through"
       from ${CHECKPOINT_TABLE} where "seq" > ? and "seq" < ?`,
    [String(prunedThrough), seq, String(prunedThrough), seq]
  )
  return { checkpoints: row.checkpoints as number, lines: Number(row.lines), verified_through: (row.verified_through as string | null) ?? null }
}
