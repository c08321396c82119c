import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Erasure's rule is checked again on the row as it was stored, by a
 * trigger that fires after the update (the same function as the
 * append-only trigger before it). BEFORE triggers fire in the order of
 * their names, so one the table's owner made after
 * `login_as_customer_log_entry_no_change` (and dropped again in the same
 * transaction, leaving no catalog row behind) saw the row only once the
 * rule had let an erasure through, and could put the personal fields back
 * and name another admin: a cold review rewrote an unsealed line so, every
 * trigger on, and the next seal signed it. An AFTER trigger sees the row
 * the table took, whatever ran before it, and no trigger after it can
 * change that row.
 */
export class Migration20261204130001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop trigger if exists "login_as_customer_log_entry_erasure_checked" on "login_as_customer_log_entry";`);
    this.addSql(`create trigger "login_as_customer_log_entry_erasure_checked" after update on "login_as_customer_log_entry" for each row execute function "login_as_customer_log_entry_append_only"();`);
    this.addSql(`alter table "login_as_customer_log_entry" enable always trigger "login_as_customer_log_entry_erasure_checked";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "login_as_customer_log_entry_erasure_checked" on "login_as_customer_log_entry";`);
  }

}
