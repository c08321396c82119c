import { erasedCustomerEmailSql, erasedDetailsSql, lineDigestSql, piiHashSql } from "./sql"

/**
 * The log's trigger functions' bodies as migrations write them: the
 * append-only rules of the log and its checkpoints (first written so by
 * Migration20261202170001) and the retention's trigger that logs each
 * change (Migration20261204110001). Kept out of the migrations' files, which
 * export their class alone (Medusa takes a migration file's export as its
 * class), so that a later migration can write them again changed
 * (Migration20261204120001).
 */
export const ENTRY_BODY = `
declare
  erased @S@."login_as_customer_log_entry";
begin
  if tg_op = 'DELETE' then
    -- Retention: only lines the chain's newest tombstone stands for.
    if old."xact_id" is not null and exists (
      select 1 from @S@."login_as_customer_log_checkpoint" "t" where @NEWEST@ and old."xact_id" < "t"."to_xid") then
      return old;
    end if;
  elsif tg_op = 'UPDATE' then
    -- Erasure, of a line about a customer: exactly what erase.ts writes (the
    -- customer's email to the pseudonym of the line's own customer_id, the
    -- personal keys of details to null, the salt dropped), every other
    -- column (the admin's email included) as it was.
    if old."pii_salt" is not null and old."customer_id" is not null then
      erased := old;
      erased."customer_email" := ${erasedCustomerEmailSql("old")};
      erased."details" := ${erasedDetailsSql("old")};
      erased."pii_salt" := null;
      -- details compared by its text too: jsonb's = takes 1.0 for 1.
      if new is not distinct from erased and new."details"::text is not distinct from erased."details"::text then
        return new;
      end if;
    end if;
  end if;
  raise exception 'login_as_customer_log_entry is append-only: @PCT@ is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end
`

export const CHECKPOINT_BODY = `
begin
  -- Retention: only seal checkpoints the chain's newest tombstone stands for.
  if tg_op = 'DELETE' and old."kind" = 'seal' and old."seq" >= 1 and exists (
    select 1 from @S@."login_as_customer_log_checkpoint" "t" where @NEWEST@ and old."seq" <= "t"."to_seq") then
    return old;
  end if;
  raise exception 'login_as_customer_log_checkpoint is append-only: @PCT@ is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end
`

/** The chain's newest tombstone, well formed and following the chain. */
const NEWEST = `"t"."seq" = (select max("seq") from @S@."login_as_customer_log_checkpoint" where "kind" = 'tombstone' and "seq" >= 1)
     and "t"."from_seq" >= 1 and "t"."to_seq" >= "t"."from_seq" and "t"."to_seq" < "t"."seq"
     and ("t"."to_seq" = "t"."seq" - 1
          or exists (select 1 from @S@."login_as_customer_log_checkpoint" "p" where "p"."seq" = "t"."seq" - 1))
     and exists (select 1 from @S@."login_as_customer_log_checkpoint" "s"
                  where "s"."seq" = "t"."to_seq" and "s"."kind" = 'seal' and "s"."to_xid" = "t"."to_xid")`

/** `create or replace function` of `body` in the current schema, with its tables named in it and a fixed search_path. */
export function inSchema(name: string, body: string): string {
  const text = body
    .replace(/@NEWEST@/g, NEWEST)
    .replace(/%/g, "%%")
    .replace(/@S@/g, "%1$I")
    .replace(/@PCT@/g, "%%")
  return `do $do$ begin
  execute pg_catalog.format($fmt$create or replace function %1$I."${name}"() returns trigger language plpgsql
    set search_path = pg_catalog, pg_temp as $body$${text}$body$$fmt$, current_schema());
end $do$;`
}

const ROWS_BY_VALUE = `      -- details compared by its text too: jsonb's = takes 1.0 for 1.
      if new is not distinct from erased and new."details"::text is not distinct from erased."details"::text then`

/**
 * ENTRY_BODY with erasure's rule comparing the rows by their binary form
 * (Migration20261204120001): `record_send`, called by its name in
 * `pg_catalog`, writes each column with its type's own send function (for
 * jsonb its text: 1.0 is not 1). A comparison of whole rows went by each
 * column type's default btree operator class, which a superuser can swap in
 * the catalog for one whose `=` is always true; a row's `::text` goes
 * through a cast from the table's row type when there is one, which the
 * table's owner can make (`CREATE CAST (… AS text)`). Cold reviews rewrote
 * the admin of an unsealed line through this exception both ways, every
 * trigger on. No cast is looked up for a row passed as `record`, and the
 * owner can't add a function or operator to `pg_catalog`.
 */
export const ENTRY_BODY_BY_BYTES = (() => {
  if (!ENTRY_BODY.includes(ROWS_BY_VALUE)) throw new Error("ENTRY_BODY's erasure comparison was not found")
  return ENTRY_BODY.replace(
    ROWS_BY_VALUE,
    `      -- By the rows' binary form, column by column as each type sends it (jsonb's = also takes 1.0 for 1).
      if pg_catalog.record_send(new) is not distinct from pg_catalog.record_send(erased) then`
  )
})()

/** The retention's trigger function. */
const RETENTION_FUNCTION = "login_as_customer_settings_retention_logged"

export const RETENTION_BODY = `
declare
  before_days integer;
  after_days integer;
  line_id text;
  line_details jsonb;
  kept text;
begin
  if tg_op = 'TRUNCATE' then
    -- No row trigger fires: the rows' values are read before they go.
    select pg_catalog.max("log_retention_days") into before_days from %1$I."login_as_customer_settings";
  else
    before_days := case when tg_op = 'INSERT' then null else old."log_retention_days" end;
    after_days := case when tg_op = 'DELETE' then null else new."log_retention_days" end;
  end if;
  if before_days is distinct from after_days or tg_op = 'TRUNCATE' then
    line_id := 'lacl_' || pg_catalog.replace(pg_catalog.gen_random_uuid()::text, '-', '');
    line_details := pg_catalog.jsonb_build_object(
      'changes', pg_catalog.jsonb_build_object('log_retention_days', pg_catalog.jsonb_build_object('from', before_days, 'to', after_days)),
      'source', 'database', 'statement', tg_op, 'role', current_user::text);
    insert into %1$I."login_as_customer_log_entry" ("id", "action", "actor_type", "actor_id", "details", "created_at", "updated_at")
    values (line_id, 'settings_updated', 'system', 'database', line_details, pg_catalog.now(), pg_catalog.now())
    returning case when ("id", "event_id", "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id",
                         "customer_email", "session_id", "details", "created_at", "updated_at", "deleted_at")
                        is not distinct from (line_id, null::text, 'settings_updated'::text, 'system'::text, 'database'::text, null::text,
                         null::text, null::text, null::text, null::text, line_details, pg_catalog.now(), pg_catalog.now(), null::timestamptz)
                   then "id" end into kept;
    if kept is null then
      raise exception 'Login as Customer: the log line of this change of the retention was dropped or changed on its way into the log (a trigger or rule on the log''s table that is not the plugin''s: see Log health); the retention was not changed'
        using errcode = 'P0001';
    end if;
  end if;
  return null;
end
`

/** `create or replace` of the retention's trigger function with `body`, in the current schema. */
export function retentionFunctionSql(body: string): string {
  return `do $do$ begin
  execute pg_catalog.format($fmt$create or replace function %1$I."${RETENTION_FUNCTION}"() returns trigger language plpgsql
    set search_path = pg_catalog, pg_temp as $body$${body}$body$$fmt$, current_schema());
end $do$;`
}


/**
 * The insert trigger's function, which dates and seals each line
 * (Migration20261204140001): the body of Migration20261202180001, which
 * also sets `deleted_at` to null. No line is ever soft-deleted; the admin's
 * list and export show only lines whose `deleted_at` is null, so a line
 * inserted by SQL with it set was sealed and verified but never shown.
 * Like `xact_id`, `pii_salt`, `pii_hash` and `digest`, it overrides
 * whatever the insert says. Written with `inSchema` (which reads `%` as a
 * literal); it names no table.
 */
export const SEAL_FIELDS_BODY = `
begin
  if new."details" is not null and pg_catalog.jsonb_typeof(new."details") <> 'object' then
    raise exception 'login_as_customer_log_entry: details must be a JSON object, not %', pg_catalog.jsonb_typeof(new."details")
      using errcode = 'check_violation';
  end if;
  if new."created_at" is null or not pg_catalog.isfinite(new."created_at")
     or new."created_at" < '2000-01-01 00:00:00+00'::timestamptz
     or new."created_at" > pg_catalog.now() + pg_catalog.make_interval(days => 1) then
    new."created_at" := pg_catalog.now();
  end if;
  -- A line is never soft-deleted: one that is would be sealed but hidden from the list and the export.
  new."deleted_at" := null;
  new."xact_id" := pg_catalog.pg_current_xact_id()::text::bigint;
  new."pii_salt" := pg_catalog.replace(pg_catalog.gen_random_uuid()::text, '-', '');
  new."pii_hash" := ${piiHashSql("new")};
  new."digest" := ${lineDigestSql("new")};
  return new;
end
`
