import { generateEntityId } from "@medusajs/framework/utils"
import { GENESIS_DIGEST, LogKey, sha256, sign } from "./key"
import { CHECKPOINT_TABLE } from "./sql"

/** A raw SQL runner: knex, or a knex transaction. */
export type Sql = {
  raw: (sql: string, bindings?: unknown[]) => Promise<{ rows: any[] }>
}
/** knex itself: runs a function in a transaction. */
export type SqlWithTransactions = Sql & {
  transaction: <T>(fn: (trx: Sql) => Promise<T>) => Promise<T>
}

/** One link of the chain, as stored (bigints as strings, as PostgreSQL sends them). */
export type Checkpoint = {
  id: string
  seq: string
  kind: "seal" | "tombstone"
  from_xid: string
  to_xid: string
  from_seq: string | null
  to_seq: string | null
  line_count: string
  lines_digest: string
  anchor_digest: string | null
  /** sha256 of the ids it sealed (lineIdsDigest), covered by the digest; null on tombstones and older checkpoints. */
  line_ids_digest: string | null
  /** A seal's version of the log's guards in the catalog (guards-version.ts), covered by the digest (`lacc3`); null on tombstones and older checkpoints. */
  guards_digest?: string | null
  first_line_at: string | null
  last_line_at: string | null
  prev_digest: string
  digest: string
  key_id: string | null
  signature: string | null
  created_at: Date
}

export type CheckpointFields = Omit<Checkpoint, "id" | "digest" | "key_id" | "signature" | "created_at">

/** The digest of a checkpoint's id list (its `line_ids`, in seal order). */
export function lineIdsDigest(lineIds: string[]): string {
  return sha256(JSON.stringify(lineIds))
}

/**
 * A checkpoint's digest: sha256 of its fields as one JSON array, in a fixed
 * order. `prev_digest` is in it, so each checkpoint vouches for all before it.
 * A checkpoint with a digest of its id list (`lacc2`, Migration20261202110001)
 * covers that too; older ones (`lacc1`) don't have it. A seal with its
 * guards' version (`lacc3`, Migration20261204100001) covers both.
 */
export function checkpointDigest(c: CheckpointFields): string {
  const fields = [
    String(c.seq),
    c.kind,
    String(c.from_xid),
    String(c.to_xid),
    c.from_seq == null ? null : String(c.from_seq),
    c.to_seq == null ? null : String(c.to_seq),
    String(c.line_count),
    c.lines_digest,
    c.anchor_digest,
    c.first_line_at,
    c.last_line_at,
    c.prev_digest,
  ]
  return sha256(
    JSON.stringify(
      c.guards_digest != null
        ? ["lacc3", ...fields, c.line_ids_digest, c.guards_digest]
        : c.line_ids_digest == null
          ? ["lacc1", ...fields]
          : ["lacc2", ...fields, c.line_ids_digest]
    )
  )
}

/**
 * A checkpoint's columns, the bigints as text (JavaScript numbers can't hold
 * them). The text aliases keep the columns' names, so an ORDER BY must name
 * the table's column (`${CHECKPOINT_TABLE}."seq"`), or it sorts the text.
 */
export const CHECKPOINT_CHAIN_COLUMNS = `"id", "seq"::text as "seq", "kind", "from_xid"::text as "from_xid", "to_xid"::text as "to_xid",
  "from_seq"::text as "from_seq", "to_seq"::text as "to_seq", "line_count"::text as "line_count", "lines_digest",
  "anchor_digest", "line_ids_digest", "guards_digest", "first_line_at", "last_line_at", "prev_digest", "digest", "key_id", "signature"`
/** CHECKPOINT_CHAIN_COLUMNS (what the chain covers, and the id) and when the checkpoint was written. */
export const CHECKPOINT_COLUMNS = `${CHECKPOINT_CHAIN_COLUMNS}, "created_at"`

/** The newest checkpoint, or null. */
export async function lastCheckpoint(sql: Sql): Promise<Checkpoint | null> {
  const { rows } = await sql.raw(`select ${CHECKPOINT_COLUMNS} from ${CHECKPOINT_TABLE} order by ${CHECKPOINT_TABLE}."seq" desc limit 1`)
  return (rows[0] as Checkpoint) ?? null
}

/** Appends a checkpoint after `previous` (digest computed, signed when there is a key). */
export async function appendCheckpoint(
  sql: Sql,
  previous: Checkpoint | null,
  fields: Omit<CheckpointFields, "seq" | "prev_digest" | "line_ids_digest">,
  key: LogKey | null,
  lineIds: string[] | null
): Promise<Checkpoint> {
  const full: CheckpointFields = {
    ...fields,
    seq: String(previous ? BigInt(previous.seq) + 1n : 1n),
    prev_digest: previous?.digest ?? GENESIS_DIGEST,
    line_ids_digest: lineIds ? lineIdsDigest(lineIds) : null,
  }
  const digest = checkpointDigest(full)
  const { rows } = await sql.raw(
    `insert into ${CHECKPOINT_TABLE}
       ("id", "seq", "kind", "from_xid", "to_xid", "from_seq", "to_seq", "line_count", "lines_digest",
        "anchor_digest", "line_ids_digest", "guards_digest", "first_line_at", "last_line_at", "line_ids", "prev_digest", "digest", "key_id", "signature")
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     returning ${CHECKPOINT_COLUMNS}`,
    [
      generateEntityId(undefined, "laccp"),
      full.seq,
      full.kind,
      full.from_xid,
      full.to_xid,
      full.from_seq,
      full.to_seq,
      full.line_count,
      full.lines_digest,
      full.anchor_digest,
      full.line_ids_digest,
      full.guards_digest ?? null,
      full.first_line_at,
      full.last_line_at,
      lineIds,
      full.prev_digest,
      digest,
      key?.id ?? null,
      key ? sign(key, digest) : null,
    ]
  )
  return rows[0] as Checkpoint
}

/**
 * Appends checkpoints after `previous`, in order, in one statement: each
 * chained to the one before and signed as appendCheckpoint does (a bulk
 * seal, e.g. of a log loaded in bulk). Returns the last one, or `previous`.
 */
export async function appendCheckpoints(
  sql: Sql,
  previous: Checkpoint | null,
  list: Array<{ fields: Omit<CheckpointFields, "seq" | "prev_digest" | "line_ids_digest">; lineIds: string[] | null }>,
  key: LogKey | null
): Promise<Checkpoint | null> {
  if (!list.length) {
    return previous
  }
  let seq = previous ? BigInt(previous.seq) : 0n
  let prev = previous?.digest ?? GENESIS_DIGEST
  const rows = list.map(({ fields, lineIds }) => {
    seq += 1n
    const full: CheckpointFields = { ...fields, seq: String(seq), prev_digest: prev, line_ids_digest: lineIds ? lineIdsDigest(lineIds) : null }
    const digest = checkpointDigest(full)
    prev = digest
    return {
      ...full,
      id: generateEntityId(undefined, "laccp"),
      line_ids: lineIds,
      digest,
      key_id: key?.id ?? null,
      signature: key ? sign(key, digest) : null,
    }
  })
  const { rows: inserted } = await sql.raw(
    `insert into ${CHECKPOINT_TABLE}
       ("id", "seq", "kind", "from_xid", "to_xid", "from_seq", "to_seq", "line_count", "lines_digest",
        "anchor_digest", "line_ids_digest", "first_line_at", "last_line_at", "line_ids", "prev_digest", "digest", "key_id", "signature")
     select "id", "seq", "kind", "from_xid", "to_xid", "from_seq", "to_seq", "line_count", "lines_digest",
            "anchor_digest", "line_ids_digest", "first_line_at", "last_line_at", "line_ids", "prev_digest", "digest", "key_id", "signature"
       from pg_catalog.jsonb_to_recordset(?::jsonb) as x("id" text, "seq" bigint, "kind" text, "from_xid" bigint, "to_xid" bigint,
            "from_seq" bigint, "to_seq" bigint, "line_count" bigint, "lines_digest" text, "anchor_digest" text, "line_ids_digest" text, "first_line_at" text,
            "last_line_at" text, "line_ids" text[], "prev_digest" text, "digest" text, "key_id" text, "signature" text)
      order by "seq"
     returning ${CHECKPOINT_COLUMNS}`,
    [JSON.stringify(rows)]
  )
  return (inserted as Checkpoint[]).reduce((a, b) => (BigInt(b.seq) > BigInt(a.seq) ? b : a))
}
