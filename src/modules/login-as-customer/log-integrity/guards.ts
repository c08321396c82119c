import type { Sql } from "./checkpoint"

/**
 * The log's triggers, each on its table, as the plugin's migrations leave
 * them: enabled ALWAYS, so they fire in every session, in replica mode too.
 * The append-only rules of the log, its checkpoints and its verification
 * records (`…_no_change`, `…_no_truncate`), the insert trigger that dates
 * and seals each line (`…_seal`), and the settings' triggers that write a
 * line for every change of the retention.
 */
export const LOG_GUARDS: ReadonlyArray<{ table: string; trigger: string; type: number; fn: string }> = (
  [
    // tgtype: 1 row, 2 before, 4 insert, 8 delete, 16 update, 32 truncate.
    ["login_as_customer_log_entry", "login_as_customer_log_entry_no_change", 27, "login_as_customer_log_entry_append_only"],
    ["login_as_customer_log_entry", "login_as_customer_log_entry_no_truncate", 34, "login_as_customer_log_entry_append_only"],
    ["login_as_customer_log_entry", "login_as_customer_log_entry_seal", 7, "login_as_customer_log_entry_seal_fields"],
    ["login_as_customer_log_checkpoint", "login_as_customer_log_checkpoint_no_change", 27, "login_as_customer_log_checkpoint_append_only"],
    ["login_as_customer_log_checkpoint", "login_as_customer_log_checkpoint_no_truncate", 34, "login_as_customer_log_checkpoint_append_only"],
    ["login_as_customer_log_verification", "login_as_customer_log_verification_no_change", 27, "login_as_customer_log_verification_append_only"],
    ["login_as_customer_log_verification", "login_as_customer_log_verification_no_truncate", 34, "login_as_customer_log_verification_append_only"],
    ["login_as_customer_settings", "login_as_customer_settings_retention_logged", 29, "login_as_customer_settings_retention_logged"],
    ["login_as_customer_settings", "login_as_customer_settings_truncate_logged", 34, "login_as_customer_settings_retention_logged"],
  ] as const
).map(([table, trigger, type, fn]) => ({ table, trigger, type, fn }))

/**
 * The md5 of each trigger function's body and settings as the newest
 * migration that wrote it left them (Migration20261202170001, 20261202180001,
 * 20261202190001), the schema the bodies name their tables with taken out
 * (`public."login_as_customer_…` → `"login_as_customer_…`). A migration that
 * changes a body changes its md5 here (the guards test, on a database just
 * migrated, expects none changed).
 */
const BODIES: Record<string, string> = {
  login_as_customer_log_checkpoint_append_only: "7f86f8084bf05874ed694fddf850915c",
  login_as_customer_log_entry_append_only: "7950ceec5fec2f33320c5bd30a75760d",
  login_as_customer_log_entry_seal_fields: "0c24abf022c655eeca7552b571c7117e",
  login_as_customer_log_verification_append_only: "590606d8ba0db33c57024a7693d36618",
  login_as_customer_settings_retention_logged: "00792a7ddb8260b4c63270924eea2351",
}

/**
 * How a guard fires now, when not as the migrations left it: `disabled`
 * (`DISABLE TRIGGER`), `origin` (`ENABLE TRIGGER`, PostgreSQL's default,
 * which is also what `DISABLE TRIGGER ALL` then `ENABLE TRIGGER ALL`
 * leaves: not in a session with `session_replication_role = replica`),
 * `replica` (only there), `changed` (made again to run at another time,
 * for other statements or columns, under a condition, or another
 * function; or its function's body or settings replaced), or `missing`
 * (dropped or renamed, or its table is).
 */
export type GuardState = "disabled" | "origin" | "replica" | "changed" | "missing"

export type ChangedGuard = { table: string; trigger: string; state: GuardState }

const STATES: Record<string, GuardState> = { D: "disabled", O: "origin", R: "replica" }

type Found = {
  table: string
  trigger: string
  enabled: string | null
  type: number
  plain: boolean
  fn: string
  same_schema: boolean
  body: string
}

/**
 * The log's triggers that are not as the plugin's migrations left them, in
 * LOG_GUARDS' order (none when all are): one catalog query. Changing them
 * takes the tables' owner; each change opens a way around the log's rules
 * that the chain then has to show (SECURITY.md), so Log health and every
 * verification name them.
 */
export async function changedGuards(sql: Sql): Promise<ChangedGuard[]> {
  const { rows } = (await sql.raw(
    `select g."table", g."trigger", t."tgenabled"::text as "enabled", t."tgtype"::int as "type",
            (t."tgqual" is null and t."tgattr"::text = '') as "plain", p."proname"::text as "fn",
            p."pronamespace" = c."relnamespace" as "same_schema",
            pg_catalog.md5(pg_catalog.replace(p."prosrc", pg_catalog.quote_ident(n."nspname") || '."login_as_customer_', '"login_as_customer_')
              || coalesce(p."proconfig"::text, '')) as "body"
       from rows from (pg_catalog.unnest(?::text[]), pg_catalog.unnest(?::text[])) as g("table", "trigger")
       join pg_catalog.pg_class c on c."oid" = pg_catalog.to_regclass(pg_catalog.quote_ident(g."table"))
       join pg_catalog.pg_trigger t on t."tgrelid" = c."oid" and t."tgname" = g."trigger"
       join pg_catalog.pg_proc p on p."oid" = t."tgfoid"
       join pg_catalog.pg_namespace n on n."oid" = p."pronamespace"`,
    [LOG_GUARDS.map((g) => g.table), LOG_GUARDS.map((g) => g.trigger)]
  )) as { rows: Found[] }
  const found = new Map(rows.map((row) => [`${row.table}.${row.trigger}`, row]))
  return LOG_GUARDS.flatMap(({ table, trigger, type, fn }) => {
    const row = found.get(`${table}.${trigger}`)
    const state: GuardState | null = !row
      ? "missing"
      : row.type !== type || !row.plain || row.fn !== fn || !row.same_schema || row.body !== BODIES[fn]
        ? "changed"
        : row.enabled === "A"
          ? null
          : STATES[row.enabled ?? ""] ?? "disabled"
    return state ? [{ table, trigger, state }] : []
  })
}
