import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Sessions by the time they ended: the expiry job looks every minute for the
 * ends of the last day whose lines the log is missing (sessionEndsToLog).
 */
export class Migration20261204221621 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_session_ended_at" ON "login_as_customer_session" ("ended_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_login_as_customer_session_ended_at";`);
  }

}
