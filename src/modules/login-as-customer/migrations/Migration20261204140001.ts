import { Migration } from "@medusajs/framework/mikro-orm/migrations";
import { inSchema, SEAL_FIELDS_BODY } from "../log-integrity/trigger-functions";
import { Migration20261202180001 } from "./Migration20261202180001";

/**
 * The insert trigger sets every line's `deleted_at` to null, whatever the
 * insert says (SEAL_FIELDS_BODY). Nothing in the app soft-deletes a line,
 * and the admin's list and export show only lines whose `deleted_at` is
 * null: a line inserted by SQL with it set, every trigger on, was sealed
 * and counted by verification and Log health, but never shown. The line's
 * digest covers whether `deleted_at` is set, so setting it later changes
 * the line (`line_altered`). Otherwise the function of
 * Migration20261202180001, in the current schema, with its search path.
 */
export class Migration20261204140001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(inSchema("login_as_customer_log_entry_seal_fields", SEAL_FIELDS_BODY));
  }

  override async down(): Promise<void> {
    // The function as that migration made it.
    await Migration20261202180001.prototype.up.call(this);
  }

}
