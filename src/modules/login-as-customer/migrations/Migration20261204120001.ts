import { Migration } from "@medusajs/framework/mikro-orm/migrations";
import { CHECKPOINT_BODY, ENTRY_BODY_BY_BYTES, inSchema, RETENTION_BODY, retentionFunctionSql } from "../log-integrity/trigger-functions";
import { Migration20261202170001 } from "./Migration20261202170001";
import { Migration20261204110001 } from "./Migration20261204110001";

/**
 * The log's trigger functions read its tables with `only`. A query of a
 * table also reads the rows of every table inheriting it, so a table made to
 * inherit the checkpoints, holding a made-up tombstone, and dropped again in
 * the same transaction let the append-only rule delete a line not yet sealed
 * with every trigger on, and left nothing behind: the inheriting table is
 * named (`inherited`) only while it is there. And erasure's rule compares
 * the rows by their binary form (ENTRY_BODY_BY_BYTES): a whole-row
 * comparison went by the default operator classes, which a superuser can
 * swap, and a row's text by a cast the table's owner can make. The same
 * bodies otherwise (Migration20261202170001, Migration20261204110001).
 */
const only = (sql: string) => sql.replace(/from %1\$I\./g, "from only %1$I.");

export class Migration20261204120001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(only(inSchema("login_as_customer_log_entry_append_only", ENTRY_BODY_BY_BYTES)));
    this.addSql(only(inSchema("login_as_customer_log_checkpoint_append_only", CHECKPOINT_BODY)));
    this.addSql(only(retentionFunctionSql(RETENTION_BODY)));
  }

  override async down(): Promise<void> {
    // The functions as those migrations made them.
    await Migration20261202170001.prototype.up.call(this);
    await Migration20261204110001.prototype.up.call(this);
  }

}
