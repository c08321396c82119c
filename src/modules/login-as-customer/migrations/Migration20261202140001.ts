import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The append-only triggers look for the chain's newest tombstone on every
 * DELETE (Migration20261202170001): one probe of this index, as seals far
 * outnumber tombstones.
 */
export class Migration20261202140001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index if not exists "IDX_login_as_customer_log_checkpoint_tombstone_seq" on "login_as_customer_log_checkpoint" ("seq") where "kind" = 'tombstone';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_login_as_customer_log_checkpoint_tombstone_seq";`);
  }

}
