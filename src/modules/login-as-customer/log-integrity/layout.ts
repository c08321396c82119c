import type { Sql } from "./checkpoint"
import { CHECKPOINT_TABLE, LOG_TABLE } from "./sql"
import type { Mismatch } from "./verify"

/** A column as the plugin's migrations made it: name and type (as PostgreSQL's format_type writes it). */
type Column = [name: string, type: string]

const TIME = "timestamp with time zone"

/**
 * The tables verification reads, with their columns in the order the
 * plugin's migrations made them (Migration20261125003801, 20261201177001):
 * what verification's statements read, by name and type. Columns a later
 * migration adds and a store may not have migrated to yet are `optional`.
 */
const TABLES: Array<{ table: string; columns: Column[]; optional: Column[] }> = [
  {
    table: LOG_TABLE,
    columns: [
      ["id", "text"], ["event_id", "text"], ["action", "text"], ["actor_type", "text"], ["actor_id", "text"],
      ["user_id", "text"], ["user_email", "text"], ["customer_id", "text"], ["customer_email", "text"],
      ["session_id", "text"], ["details", "jsonb"], ["created_at", TIME], ["updated_at", TIME], ["deleted_at", TIME],
      ["xact_id", "bigint"], ["digest", "text"], ["pii_hash", "text"], ["pii_salt", "text"],
    ],
    optional: [],
  },
  {
    table: CHECKPOINT_TABLE,
    columns: [
      ["id", "text"], ["seq", "bigint"], ["kind", "text"], ["from_xid", "bigint"], ["to_xid", "bigint"],
      ["from_seq", "bigint"], ["to_seq", "bigint"], ["line_count", "bigint"], ["lines_digest", "text"],
      ["anchor_digest", "text"], ["first_line_at", "text"], ["last_line_at", "text"], ["line_ids", "text[]"],
      ["prev_digest", "text"], ["digest", "text"], ["key_id", "text"], ["signature", "text"],
      ["created_at", TIME], ["updated_at", TIME], ["deleted_at", TIME],
    ],
    // Migration20261202110001, Migration20261204100001.
    optional: [["line_ids_digest", "text"], ["guards_digest", "text"]],
  },
]

type Found = { name: string; position: number; type: string }

/** What changed in `table`'s columns against `columns`, in words, or null. */
function changeIn(table: string, columns: Column[], optional: Column[], found: Found[]): string | null {
  const name = table.replace(/"/g, "")
  if (!found.length) {
    return `the table ${name} is missing`
  }
  const byName = new Map(found.map((f) => [f.name, f]))
  const known = new Set([...columns, ...optional].map(([c]) => c))
  for (const [i, [column, type]] of columns.entries()) {
    const present = byName.get(column)
    if (present) {
      if (present.type !== type) {
        return `the table ${name}'s column "${column}" is of type ${present.type}, not ${type} as the plugin's migrations made it`
      }
      continue
    }
    // Missing: a column no migration made, between the neighbours it had, took its place (renamed), or none did.
    const after = columns.slice(0, i).reverse().map(([c]) => byName.get(c)).find(Boolean)?.position ?? 0
    const before = columns.slice(i + 1).map(([c]) => byName.get(c)).find(Boolean)?.position ?? Infinity
    const renamed = found.find((f) => !known.has(f.name) && f.position > after && f.position < before)
    return renamed
      ? `the table ${name}'s column "${column}" was renamed to "${renamed.name}"`
      : `the table ${name}'s column "${column}" is missing`
  }
  for (const [column, type] of optional) {
    const present = byName.get(column)
    if (present && present.type !== type) {
      return `the table ${name}'s column "${column}" is of type ${present.type}, not ${type} as the plugin's migrations made it`
    }
  }
  return null
}

/**
 * Whether the log's tables still have the columns verification reads, with
 * the types the plugin's migrations gave them: a column renamed, dropped or
 * of another type is named (`layout_changed`, the table and the column),
 * instead of failing verification's statements. One catalog query, run
 * first by every verification. Columns added after them are left alone, as
 * is their order (quick verification checks the log table's further:
 * quick.ts, layoutDistrust).
 */
export async function layoutChanged(sql: Sql): Promise<Mismatch | null> {
  const change = await layoutChange(sql)
  return change ? { kind: "layout_changed", checkpoint: null, line_id: null, message: `${change}: verification can't read it` } : null
}

/** What changed in the log's tables' columns, in words ("the table …'s column "seq" is of type text, not bigint …"), or null. */
export async function layoutChange(sql: Sql): Promise<string | null> {
  const { rows } = await sql.raw(
    `select t."table", a."attname" as "name", a."attnum"::int as "position", pg_catalog.format_type(a."atttypid", a."atttypmod") as "type"
       from pg_catalog.unnest(?::text[]) as t("table")
       join pg_catalog.pg_attribute a on a."attrelid" = pg_catalog.to_regclass(t."table") and a."attnum" > 0 and not a."attisdropped"
      order by t."table", a."attnum"`,
    [TABLES.map((t) => t.table)]
  )
  for (const { table, columns, optional } of TABLES) {
    const change = changeIn(table, columns, optional, rows.filter((r: { table: string }) => r.table === table) as Found[])
    if (change) {
      return change
    }
  }
  return null
}
