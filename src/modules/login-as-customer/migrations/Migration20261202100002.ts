import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The lines in seal order (xact_id, id) with each line's digest in the
 * index itself, so quick verification reads the index only (an index-only
 * scan: 0.6 against 3 µs a line read through the table at a million lines)
 * and never the lines' other fields. It replaces the (xact_id, id) index
 * the seal, verification and retention used, which it serves as well. On a
 * large log the build takes a while (about 3 s a million lines) and holds
 * writes to the log meanwhile, as any index build in a migration does.
 * And the lines outside the chain (written with the insert trigger off:
 * no transaction id or digest), which verification looks for: normally
 * none, so an index of them costs nothing and spares a scan of the table.
 */
export class Migration20261202100002 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index if not exists "IDX_login_as_customer_log_entry_xact_id_id_digest" on "login_as_customer_log_entry" ("xact_id", "id") include ("digest");`);
    this.addSql(`drop index if exists "IDX_login_as_customer_log_entry_xact_id_id";`);
    this.addSql(`create index if not exists "IDX_login_as_customer_log_entry_outside_chain" on "login_as_customer_log_entry" ("id") where "xact_id" is null or "digest" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index if not exists "IDX_login_as_customer_log_entry_xact_id_id" on "login_as_customer_log_entry" ("xact_id", "id");`);
    this.addSql(`drop index if exists "IDX_login_as_customer_log_entry_xact_id_id_digest";`);
    this.addSql(`drop index if exists "IDX_login_as_customer_log_entry_outside_chain";`);
  }

}
