import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Verifications' records (what Log health shows as the last verification)
 * are signed with the log's key (`signature`, see verification-record.ts)
 * and append-only like the log: a record inserted by SQL is not shown as
 * the last verification, and the newest real one can't be removed or
 * changed to bring an older, passing one back. Nothing deletes them.
 */
export class Migration20261202160001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "login_as_customer_log_verification" add column if not exists "signature" text null;`);
    this.addSql(`create or replace function "login_as_customer_log_verification_append_only"() returns trigger language plpgsql as $$
begin
  raise exception 'login_as_customer_log_verification is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end
$$;`);
    this.addSql(`drop trigger if exists "login_as_customer_log_verification_no_change" on "login_as_customer_log_verification";`);
    this.addSql(`create trigger "login_as_customer_log_verification_no_change" before update or delete on "login_as_customer_log_verification" for each row execute function "login_as_customer_log_verification_append_only"();`);
    this.addSql(`drop trigger if exists "login_as_customer_log_verification_no_truncate" on "login_as_customer_log_verification";`);
    this.addSql(`create trigger "login_as_customer_log_verification_no_truncate" before truncate on "login_as_customer_log_verification" for each statement execute function "login_as_customer_log_verification_append_only"();`);
    this.addSql(`alter table "login_as_customer_log_verification" enable always trigger "login_as_customer_log_verification_no_change";`);
    this.addSql(`alter table "login_as_customer_log_verification" enable always trigger "login_as_customer_log_verification_no_truncate";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "login_as_customer_log_verification_no_change" on "login_as_customer_log_verification";`);
    this.addSql(`drop trigger if exists "login_as_customer_log_verification_no_truncate" on "login_as_customer_log_verification";`);
    this.addSql(`drop function if exists "login_as_customer_log_verification_append_only"();`);
    this.addSql(`alter table if exists "login_as_customer_log_verification" drop column if exists "signature";`);
  }

}
