import { Migration } from "@medusajs/framework/mikro-orm/migrations";
import { lineDigestSql, piiHashSql } from "../log-integrity/sql";

/**
 * A line's time is the database's when the one given can't be right: not a
 * finite time (`infinity`, `-infinity`), before the year 2000 (a date BC
 * among them, whose text in a checkpoint has no era and reads as a year
 * AD), or more than a day ahead of the database's clock. The app writes the time of the request; only a plain
 * INSERT gives another. Before, a line dated `infinity` or in the year 10000
 * kept its seal young for ever, so retention removed nothing from it on;
 * such a line written before this migration is named by verification
 * (`line_time_invalid`).
 *
 * And a line's `details` is a JSON object, or null, as the app writes it:
 * anything else is refused. Before, a line inserted with an array for
 * details failed full verification for ever (`line_altered`, which names
 * any line whose details is no longer an object), so full verification
 * checked nothing past it.
 *
 * Otherwise the insert trigger's function is the one of
 * Migration20261201177001, with the search path of Migration20261202170001.
 */
const stamp = (clampTime: boolean) => `create or replace function "login_as_customer_log_entry_seal_fields"() returns trigger language plpgsql
  set search_path = pg_catalog, pg_temp as $$
begin
${
  clampTime
    ? `  if new."details" is not null and pg_catalog.jsonb_typeof(new."details") <> 'object' then
    raise exception 'login_as_customer_log_entry: details must be a JSON object, not %', pg_catalog.jsonb_typeof(new."details")
      using errcode = 'check_violation';
  end if;
  if new."created_at" is null or not pg_catalog.isfinite(new."created_at")
     or new."created_at" < '2000-01-01 00:00:00+00'::timestamptz
     or new."created_at" > pg_catalog.now() + pg_catalog.make_interval(days => 1) then
    new."created_at" := pg_catalog.now();
  end if;
`
    : ""
}  new."xact_id" := pg_catalog.pg_current_xact_id()::text::bigint;
  new."pii_salt" := pg_catalog.replace(pg_catalog.gen_random_uuid()::text, '-', '');
  new."pii_hash" := ${piiHashSql("new")};
  new."digest" := ${lineDigestSql("new")};
  return new;
end
$$;`

export class Migration20261202180001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(stamp(true));
  }

  override async down(): Promise<void> {
    this.addSql(stamp(false));
  }

}
