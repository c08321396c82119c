import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * A seal checkpoint keeps the catalog's version of the log's guards
 * (`guards_digest`, guards-version.ts): its triggers and their functions,
 * rules, columns. Checkpoints written from now on cover it in their digest
 * (`lacc3`), so verification names the seals between which it changed,
 * even when a change was undone before the next seal. Older checkpoints
 * keep `lacc1`/`lacc2` and no version.
 */
export class Migration20261204100001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "login_as_customer_log_checkpoint" add column if not exists "guards_digest" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "login_as_customer_log_checkpoint" drop column if exists "guards_digest";`);
  }

}
