import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/** A table's row count and the md5 of all its rows (as JSON, in a stable order). */
export type TableChecksum = { rows: number; md5: string }

/** The plugin's log table (append-only). */
export const LOG_TABLE = "login_as_customer_log_entry"

/** The plugin's carts-touched-in-a-session table. */
export const SESSION_CART_TABLE = "login_as_customer_session_cart"

/** The plugin's own tables: the one list every test helper checks. */
export const PLUGIN_TABLES = [
  "login_as_customer_remote_assistance",
  "login_as_customer_settings",
  "login_as_customer_admin_grant",
  "login_as_customer_ticket",
  "login_as_customer_session",
  LOG_TABLE,
  SESSION_CART_TABLE,
]

/** The tables a store request could touch: carts, customers, orders, payments, auth and the plugin's own. */
export const STORE_TABLES = [
  "cart",
  "cart_address",
  "cart_line_item",
  "cart_line_item_adjustment",
  "cart_line_item_tax_line",
  "cart_shipping_method",
  "cart_payment_collection",
  "customer",
  "customer_address",
  "customer_account_holder",
  "order",
  "order_item",
  "order_line_item",
  "order_change",
  "order_transaction",
  "return",
  "payment_collection",
  "payment_session",
  "payment",
  "promotion",
  "auth_identity",
  "provider_identity",
  "user",
  ...PLUGIN_TABLES,
]

type Knex = {
  raw: (sql: string, bindings?: unknown[]) => Promise<{ rows: Array<Record<string, any>> }>
}

const quote = (table: string) => `"${table.replace(/"/g, '""')}"`

/**
 * Row count and md5 of every row of each table, in one SQL statement:
 * `tableChecksums(container, ["cart", "customer"])` →
 * `{ cart: { rows: 2, md5: "…" }, customer: { rows: 3, md5: "…" } }`.
 * Compare two results with `changedTables`.
 */
export async function tableChecksums(
  container: MedusaContainer,
  tables: string[] = STORE_TABLES
): Promise<Record<string, TableChecksum>> {
  if (!tables.length) {
    return {}
  }
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as Knex
  const result = await knex.raw(
    tables
      .map(
        (table) =>
          `select ? as t, count(*)::int as rows, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as md5 from (select row_to_json(r)::text as x from ${quote(table)} r) s`
      )
      .join(" union all "),
    tables
  )
  return Object.fromEntries(result.rows.map((row) => [row.t as string, { rows: row.rows as number, md5: row.md5 as string }]))
}

/** Every table of the public schema, but the ones named in `except`. */
/**
 * Tables the plugin's scheduled jobs write at any minute, whatever the
 * requests: the log's checkpoints (sealed every minute) and its
 * verifications. A request's effect on the database is judged without them.
 */
export const BACKGROUND_TABLES = ["login_as_customer_log_checkpoint", "login_as_customer_log_verification"]

export async function allTables(container: MedusaContainer, except: string[] = BACKGROUND_TABLES): Promise<string[]> {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as Knex
  const result = await knex.raw(
    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name"
  )
  return result.rows.map((row) => row.table_name as string).filter((table) => !except.includes(table))
}

/** The tables whose rows differ between two `tableChecksums` results, with their row counts before and after. */
export function changedTables(
  before: Record<string, TableChecksum>,
  after: Record<string, TableChecksum>
): Record<string, string> {
  const changed: Record<string, string> = {}
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[table]?.md5 !== after[table]?.md5) {
      changed[table] = `${before[table]?.rows ?? "-"} → ${after[table]?.rows ?? "-"} rows`
    }
  }
  return changed
}

/**
 * PostgreSQL's plan for `sql` when the log's only index is `index`: in a
 * transaction rolled back, the log's other indexes are put aside and
 * sequential scans discouraged, so the plan shows whether `sql` can use
 * `index` at all (a handful of test rows is read fastest without any).
 */
export async function planWithOnlyIndex(
  knex: { transaction: (fn: (trx: any) => Promise<unknown>) => Promise<unknown> },
  index: string,
  sql: string,
  bindings: unknown[]
): Promise<string | undefined> {
  return (await knex
    .transaction(async (trx: any) => {
      const { rows } = await trx.raw(
        `select indexname from pg_indexes where tablename = '${LOG_TABLE}' and indexname like 'IDX_%' and indexname <> ?`,
        [index]
      )
      for (const { indexname } of rows) await trx.raw(`drop index "${indexname}"`)
      await trx.raw("set local enable_seqscan = off")
      const explained = await trx.raw(`explain ${sql}`, bindings)
      throw { plan: explained.rows.map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n") }
    })
    .catch((rolledBack: { plan?: string }) => rolledBack.plan)) as string | undefined
}

/** `count` store actions of three admins (`user_` g % 3), ids `prefix` and g (6 digits), a second apart after `from`. */
export async function insertStoreActions(container: MedusaContainer, prefix: string, count: number, from: string) {
  await container.resolve(ContainerRegistrationKeys.PG_CONNECTION).raw(
    `insert into login_as_customer_log_entry (id, action, actor_type, user_id, customer_id, customer_email, created_at)
     select ? || lpad(g::text, 6, '0'), 'store_action', 'user', 'user_' || (g % 3), ? || g, ? || g || '@shop.example',
            ?::timestamptz + g * interval '1 second'
       from generate_series(1, ?::int) g`,
    [prefix, `cus_${prefix}`, prefix, from, count]
  )
}

/** How many of the log export's COPYs other connections are running now. */
export async function exportCopies(container: MedusaContainer): Promise<number> {
  const { rows } = await container.resolve(ContainerRegistrationKeys.PG_CONNECTION).raw(
    `select count(*)::int as "n" from pg_stat_activity
      where datname = current_database() and query like '/* login_as_customer log export */ copy (%' and state <> 'idle'`
  )
  return Number(rows[0].n)
}
