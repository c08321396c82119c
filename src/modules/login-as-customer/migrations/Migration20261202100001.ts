import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Which verification each recorded answer was: "quick" (only lines
 * rewritten since their insert recomputed) or "full" (every line
 * recomputed). The answers recorded before were all full.
 */
export class Migration20261202100001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "login_as_customer_log_verification" add column if not exists "mode" text not null default 'full';`);
    this.addSql(`alter table if exists "login_as_customer_log_verification" add column if not exists "recomputed_lines" bigint null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "login_as_customer_log_verification" drop column if exists "mode", drop column if exists "recomputed_lines";`);
  }

}
