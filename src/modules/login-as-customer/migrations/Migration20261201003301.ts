import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The log's append-only triggers fire ALWAYS: an ordinary (ENABLE) trigger is
 * skipped by a session that sets `session_replication_role = replica`, which
 * any superuser or replication role can do without touching the table. What a
 * database owner can still do (drop or disable the trigger) is in SECURITY.md.
 */
export class Migration20261201003301 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "login_as_customer_log_entry" enable always trigger "login_as_customer_log_entry_no_change";`);
    this.addSql(`alter table "login_as_customer_log_entry" enable always trigger "login_as_customer_log_entry_no_truncate";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "login_as_customer_log_entry" enable trigger "login_as_customer_log_entry_no_truncate";`);
    this.addSql(`alter table "login_as_customer_log_entry" enable trigger "login_as_customer_log_entry_no_change";`);
  }

}
