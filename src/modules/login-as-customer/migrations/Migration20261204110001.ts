import { Migration } from "@medusajs/framework/mikro-orm/migrations";
import { Migration20261202190001 } from "./Migration20261202190001";

/**
 * The retention's trigger (Migration20261202190001) checks that the line it
 * writes lands as written: a trigger or rule on the log's table that drops
 * or changes it (one made and dropped again in the same transaction leaves
 * nothing else behind) now fails the change of the retention with it,
 * instead of letting the retention change with no line, as the app's own
 * writer refuses its lines (insertLogLine). The same function otherwise.
 */
const FUNCTION = "login_as_customer_settings_retention_logged"

const BODY = `
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

export class Migration20261204110001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`do $do$ begin
  execute pg_catalog.format($fmt$create or replace function %1$I."${FUNCTION}"() returns trigger language plpgsql
    set search_path = pg_catalog, pg_temp as $body$${BODY}$body$$fmt$, current_schema());
end $do$;`);
  }

  override async down(): Promise<void> {
    // The function (and its triggers) as Migration20261202190001 made them.
    await Migration20261202190001.prototype.up.call(this);
  }

}
