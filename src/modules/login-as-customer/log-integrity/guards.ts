import type { Sql } from "./checkpoint"

/**
 * The log's triggers, each on its table, as the plugin's migrations leave
 * them: enabled ALWAYS, so they fire in every session, in replica mode too.
 * The append-only rules of the log, its checkpoints and its verification
 * records (`…_no_change`, `…_no_truncate`), erasure's rule checked again
 * after an update (`…_erasure_checked`), the insert trigger that dates and
 * seals each line (`…_seal`), and the settings' triggers that write a line
 * for every change of the retention.
 */
export const LOG_GUARDS: ReadonlyArray<{ table: string; trigger: string; type: number; fn: string }> = (
  [
    // tgtype: 1 row, 2 before, 4 insert, 8 delete, 16 update, 32 truncate.
    ["login_as_customer_log_entry", "login_as_customer_log_entry_no_change", 27, "login_as_customer_log_entry_append_only"],
    ["login_as_customer_log_entry", "login_as_customer_log_entry_no_truncate", 34, "login_as_customer_log_entry_append_only"],
    ["login_as_customer_log_entry", "login_as_customer_log_entry_seal", 7, "login_as_customer_log_entry_seal_fields"],
    // After the update: erasure's rule on the row as stored (Migration20261204130001).
    ["login_as_customer_log_entry", "login_as_customer_log_entry_erasure_checked", 17, "login_as_customer_log_entry_append_only"],
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
 * migration that wrote it left them (Migration20261202170001, 20261204120001,
 * 20261204140001), the schema the bodies name their tables with taken out
 * (`public."login_as_customer_…` → `"login_as_customer_…`). A migration that
 * changes a body changes its md5 here (the guards test, on a database just
 * migrated, expects none changed).
 */
const BODIES: Record<string, string> = {
  login_as_customer_log_checkpoint_append_only: "1a4cb4666b01be562478416e850d1d00",
  login_as_customer_log_entry_append_only: "1ca7568089e13293783c429014f1408b",
  login_as_customer_log_entry_seal_fields: "ad088cddacbfa508fa134a7c5e88f400",
  login_as_customer_log_verification_append_only: "590606d8ba0db33c57024a7693d36618",
  login_as_customer_settings_retention_logged: "c26978f1c4e2093cfcfa5a7f4f4eb0be",
}

/**
 * How a guard fires now, when not as the migrations left it: `disabled`
 * (`DISABLE TRIGGER`), `origin` (`ENABLE TRIGGER`, PostgreSQL's default,
 * which is also what `DISABLE TRIGGER ALL` then `ENABLE TRIGGER ALL`
 * leaves: not in a session with `session_replication_role = replica`),
 * `replica` (only there), `changed` (made again to run at another time,
 * for other statements or columns, under a condition, or another
 * function; or its function's body or settings replaced), or `missing`
 * (dropped or renamed, or its table is). A table whose triggers are all
 * switched off in the catalog (`pg_class.relhastriggers` false, which only
 * a superuser's edit of the catalog does) has its guards `disabled`. A
 * trigger on the log's tables that is none of them is `extra` (one that
 * fires before the seal trigger could rewrite or drop each new line; the
 * app refuses to go on when its line doesn't land as written, but the
 * trigger is the cause), and a rule on them `rule` (the rule's name is
 * `trigger`): a rule can turn an insert, update or delete into another
 * statement, or nothing. Row level security switched on for a table is
 * `row_security` (`trigger`: "row level security"), each policy on it
 * `policy`: rows a policy hides from the app's role are out of what it
 * seals and verifies. A table inheriting one of them is `inherited`
 * (`trigger`: its name): its rows are read with the log's, and the log's
 * triggers don't fire for them. A constraint on them that the migrations
 * didn't make (a primary key or NOT NULL aside) is `constraint`: a check
 * that failing verification records break made their writes fail, so Log
 * health kept showing the last passing one. An index the migrations didn't
 * make is `index`: a unique one, or one on an expression that fails for
 * some rows, refuses those rows' inserts as a check does.
 */
export type GuardState =
  | "disabled"
  | "origin"
  | "replica"
  | "changed"
  | "missing"
  | "extra"
  | "rule"
  | "row_security"
  | "policy"
  | "inherited"
  | "constraint"
  | "index"

export type ChangedGuard = { table: string; trigger: string; state: GuardState }

const STATES: Record<string, GuardState> = { D: "disabled", O: "origin", R: "replica" }

type Found = {
  table: string
  trigger: string
  enabled: string | null
  type: number
  plain: boolean
  fn: string
  /** In the table's schema, and not SECURITY DEFINER (none of the migrations' is). */
  same_schema: boolean
  body: string
  table_triggers: boolean
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
            (p."pronamespace" = c."relnamespace" and not p."prosecdef") as "same_schema", c."relhastriggers" as "table_triggers",
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
  const guarded = LOG_GUARDS.flatMap(({ table, trigger, type, fn }) => {
    const row = found.get(`${table}.${trigger}`)
    const state: GuardState | null = !row
      ? "missing"
      : row.type !== type || !row.plain || row.fn !== fn || !row.same_schema || row.body !== BODIES[fn]
        ? "changed"
        : row.enabled === "A" && row.table_triggers
          ? null
          : row.table_triggers
            ? STATES[row.enabled ?? ""] ?? "disabled"
            : "disabled"
    return state ? [{ table, trigger, state }] : []
  })
  return [...guarded, ...(await othersOnLogTables(sql))]
}

/** The log's tables, each once, in LOG_GUARDS' order. */
export const GUARDED_TABLES = [...new Set(LOG_GUARDS.map((g) => g.table))]

/** The constraints the migrations made on the log's tables, besides primary keys and NOT NULL. */
const LOG_CONSTRAINTS = [
  "login_as_customer_log_checkpoint_kind_check",
  "login_as_customer_settings_one_row",
  // The settings model's enums.
  "login_as_customer_settings_access_check",
  "login_as_customer_settings_consent_mode_check",
  "login_as_customer_settings_store_selection_check",
]

/** The indexes the migrations made on the log's tables, each as `::regclass` names it. */
const LOG_INDEXES = [
  ...["seq_unique", "tombstone_seq", "tombstone_to_seq", "tombstone_to_xid"].map((name) => `"IDX_login_as_customer_log_checkpoint_${name}"`),
  ...[
    "action_created_at",
    "created_at",
    "customer_id_created_at",
    "deleted_at",
    "erased",
    "erasure_record",
    "event_id_unique",
    "outside_chain",
    "search_trgm",
    "search_words",
    "session_id_created_at",
    "user_id_action_created_at",
    "user_id_created_at",
    "xact_id_id_digest",
  ].map((name) => `"IDX_login_as_customer_log_entry_${name}"`),
  `"IDX_login_as_customer_log_verification_created_at"`,
  `"IDX_login_as_customer_settings_deleted_at"`,
  ...GUARDED_TABLES.map((table) => `${table}_pkey`),
]

/**
 * Triggers on the log's tables that are none of the plugin's, each table's
 * own (one named like another table's guard is still `extra`), PostgreSQL's
 * internal ones too (a superuser can mark any trigger internal in the
 * catalog, which hid it before; the log's tables have no foreign keys, whose
 * triggers are internal), `extra`; rules on them, `rule`; row level
 * security on, `row_security`, and policies, `policy`; tables inheriting
 * them, `inherited`; constraints, `constraint`; indexes, `index`; by table,
 * state and name.
 */
async function othersOnLogTables(sql: Sql): Promise<ChangedGuard[]> {
  const { rows } = (await sql.raw(
    `select g."table", x."name" as "trigger", x."state"
       from pg_catalog.unnest(?::text[]) with ordinality as g("table", "n")
       join pg_catalog.pg_class c on c."oid" = pg_catalog.to_regclass(pg_catalog.quote_ident(g."table"))
       cross join lateral (
         select t."tgname"::text as "name", 'extra' as "state" from pg_catalog.pg_trigger t
          where t."tgrelid" = c."oid" and not exists (
            select 1 from rows from (pg_catalog.unnest(?::text[]), pg_catalog.unnest(?::text[])) as p("table", "trigger")
             where p."table" = g."table" and p."trigger" = t."tgname")
         union all
         select r."rulename"::text, 'rule' from pg_catalog.pg_rewrite r where r."ev_class" = c."oid"
         union all
         select 'row level security', 'row_security' where c."relrowsecurity"
         union all
         select p."polname"::text, 'policy' from pg_catalog.pg_policy p where p."polrelid" = c."oid"
         union all
         select i."inhrelid"::regclass::text, 'inherited' from pg_catalog.pg_inherits i where i."inhparent" = c."oid"
         union all
         select k."conname"::text, 'constraint' from pg_catalog.pg_constraint k
          where k."conrelid" = c."oid" and k."contype" not in ('p', 'n') and k."conname" <> all(?::text[])
         union all
         select x."indexrelid"::regclass::text, 'index' from pg_catalog.pg_index x
          where x."indrelid" = c."oid" and x."indexrelid"::regclass::text <> all(?::text[])) x
      order by g."n", x."state", x."name"`,
    [GUARDED_TABLES, LOG_GUARDS.map((g) => g.table), LOG_GUARDS.map((g) => g.trigger), LOG_CONSTRAINTS, LOG_INDEXES]
  )) as { rows: ChangedGuard[] }
  return rows
}
