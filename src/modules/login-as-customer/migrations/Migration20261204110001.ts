import { Migration } from "@medusajs/framework/mikro-orm/migrations";
import { RETENTION_BODY, retentionFunctionSql } from "../log-integrity/trigger-functions";
import { Migration20261202190001 } from "./Migration20261202190001";

/**
 * The retention's trigger (Migration20261202190001) checks that the line it
 * writes lands as written: a trigger or rule on the log's table that drops
 * or changes it (one made and dropped again in the same transaction leaves
 * nothing else behind) now fails the change of the retention with it,
 * instead of letting the retention change with no line, as the app's own
 * writer refuses its lines (insertLogLine). The same function otherwise.
 */
export class Migration20261204110001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(retentionFunctionSql(RETENTION_BODY));
  }

  override async down(): Promise<void> {
    // The function (and its triggers) as Migration20261202190001 made them.
    await Migration20261202190001.prototype.up.call(this);
  }

}
