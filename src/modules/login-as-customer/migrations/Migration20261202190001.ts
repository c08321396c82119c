import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The database writes a log line itself whenever the retention setting
 * changes (`log_retention_days`, the setting that decides which lines the
 * daily job removes), whoever changes it: `settings_updated` by the actor
 * `system` / `database`, with the change, the statement (`INSERT`, `UPDATE`,
 * `DELETE`, and `TRUNCATE`, which fires no row trigger: its line says what
 * the retention was) and the database role. Before, a change made by SQL wrote no
 * line, so lines removed by retention under a retention shortened that way
 * left no trace of why. An admin's change is on record twice: the admin's
 * line and the database's. The trigger fires in every replication role
 * (`enable always`), as the log's own do; the table's owner can still
 * switch it off (SECURITY.md).
 *
 * The settings table holds that one row the app reads (`lacset_default`),
 * never soft-deleted: a check refuses any other id and a `deleted_at`, so
 * the retention in force can't change by swapping rows.
 *
 * Its function resolves nothing through schemas others may write to, as
 * the log's trigger functions (Migration20261202170001).
 */
const FUNCTION = "login_as_customer_settings_retention_logged"
const TRIGGER = "login_as_customer_settings_retention_logged"
const TRUNCATE_TRIGGER = "login_as_customer_settings_truncate_logged"
const ONE_ROW = "login_as_customer_settings_one_row"

const BODY = `
declare
  before_days integer;
  after_days integer;
begin
  if tg_op = 'TRUNCATE' then
    -- No row trigger fires: the rows' values are read before they go.
    select pg_catalog.max("log_retention_days") into before_days from %1$I."login_as_customer_settings";
  else
    before_days := case when tg_op = 'INSERT' then null else old."log_retention_days" end;
    after_days := case when tg_op = 'DELETE' then null else new."log_retention_days" end;
  end if;
  if before_days is distinct from after_days or tg_op = 'TRUNCATE' then
    insert into %1$I."login_as_customer_log_entry" ("id", "action", "actor_type", "actor_id", "details", "created_at", "updated_at")
    values (
      'lacl_' || pg_catalog.replace(pg_catalog.gen_random_uuid()::text, '-', ''),
      'settings_updated', 'system', 'database',
      pg_catalog.jsonb_build_object(
        'changes', pg_catalog.jsonb_build_object('log_retention_days', pg_catalog.jsonb_build_object('from', before_days, 'to', after_days)),
        'source', 'database', 'statement', tg_op, 'role', current_user::text),
      pg_catalog.now(), pg_catalog.now());
  end if;
  return null;
end
`

export class Migration20261202190001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`do $do$ begin
  execute pg_catalog.format($fmt$create or replace function %1$I."${FUNCTION}"() returns trigger language plpgsql
    set search_path = pg_catalog, pg_temp as $body$${BODY}$body$$fmt$, current_schema());
end $do$;`);
    this.addSql(`drop trigger if exists "${TRIGGER}" on "login_as_customer_settings";`);
    this.addSql(`create trigger "${TRIGGER}" after insert or update or delete on "login_as_customer_settings" for each row execute function "${FUNCTION}"();`);
    this.addSql(`alter table "login_as_customer_settings" enable always trigger "${TRIGGER}";`);
    this.addSql(`drop trigger if exists "${TRUNCATE_TRIGGER}" on "login_as_customer_settings";`);
    this.addSql(`create trigger "${TRUNCATE_TRIGGER}" before truncate on "login_as_customer_settings" for each statement execute function "${FUNCTION}"();`);
    this.addSql(`alter table "login_as_customer_settings" enable always trigger "${TRUNCATE_TRIGGER}";`);
    // The row the app reads is the only one there may be, and it is never
    // soft-deleted: another id swapped in, or the row marked deleted, would
    // change the retention in force without a change of the column (not
    // VALID: rows already there are left as they are).
    this.addSql(`alter table "login_as_customer_settings" drop constraint if exists "${ONE_ROW}";`);
    this.addSql(`alter table "login_as_customer_settings" add constraint "${ONE_ROW}" check ("id" = 'lacset_default' and "deleted_at" is null) not valid;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "login_as_customer_settings" drop constraint if exists "${ONE_ROW}";`);
    this.addSql(`drop trigger if exists "${TRIGGER}" on "login_as_customer_settings";`);
    this.addSql(`drop trigger if exists "${TRUNCATE_TRIGGER}" on "login_as_customer_settings";`);
    this.addSql(`drop function if exists "${FUNCTION}"();`);
  }

}
