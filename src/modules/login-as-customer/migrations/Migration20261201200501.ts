import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The log list's most used combined filter, an admin's lines of one action
 * (e.g. "the orders this agent placed"), newest first, from one index:
 * with `user_id` and `action` indexed apart, a page and its capped count
 * read every line of the admin to find those of the action (290 ms at a
 * million lines, `npm run bench -- --only=log`). The other combinations
 * (customer + dates, admin + dates) are already one index range each.
 */
export class Migration20261201200501 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index if not exists "IDX_login_as_customer_log_entry_user_id_action_created_at" on "login_as_customer_log_entry" ("user_id", "action", "created_at") where "deleted_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_login_as_customer_log_entry_user_id_action_created_at";`);
  }

}
