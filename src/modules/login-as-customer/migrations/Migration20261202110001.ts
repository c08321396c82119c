import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * A checkpoint's id list covered by its digest: `line_ids_digest` is the
 * sha256 of the ids it sealed, in seal order, and checkpoints written from
 * now on cover it in their digest (`lacc2`). Verification reads the id list
 * only to name a line a checkpoint lost or gained, and names one only from
 * a list its digest still covers. Older checkpoints keep `lacc1` and no
 * digest of their list (their lines are covered through `lines_digest`).
 */
export class Migration20261202110001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "login_as_customer_log_checkpoint" add column if not exists "line_ids_digest" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "login_as_customer_log_checkpoint" drop column if exists "line_ids_digest";`);
  }

}
