import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The log is append-only in the database itself: a trigger refuses every
 * UPDATE, DELETE and TRUNCATE of `login_as_customer_log_entry`, whoever sends
 * it (a route, a script, a careless query). Purging old lines is a deliberate
 * act of a database owner: `ALTER TABLE ... DISABLE TRIGGER ...` first.
 */
export class Migration20261125200000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create or replace function "login_as_customer_log_entry_append_only"() returns trigger language plpgsql as $$
begin
  raise exception 'login_as_customer_log_entry is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end
$$;`);
    this.addSql(`drop trigger if exists "login_as_customer_log_entry_no_change" on "login_as_customer_log_entry";`);
    this.addSql(`create trigger "login_as_customer_log_entry_no_change" before update or delete on "login_as_customer_log_entry" for each row execute function "login_as_customer_log_entry_append_only"();`);
    this.addSql(`drop trigger if exists "login_as_customer_log_entry_no_truncate" on "login_as_customer_log_entry";`);
    this.addSql(`create trigger "login_as_customer_log_entry_no_truncate" before truncate on "login_as_customer_log_entry" for each statement execute function "login_as_customer_log_entry_append_only"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "login_as_customer_log_entry_no_truncate" on "login_as_customer_log_entry";`);
    this.addSql(`drop trigger if exists "login_as_customer_log_entry_no_change" on "login_as_customer_log_entry";`);
    this.addSql(`drop function if exists "login_as_customer_log_entry_append_only"();`);
  }

}
