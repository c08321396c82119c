import { Migration } from "@medusajs/framework/mikro-orm/migrations";
import { Migration20261202103001 } from "./Migration20261202103001";

/**
 * The words index of the log's text search holds a word longer than 200
 * characters as its pieces of 200 (LOG_SEARCH_WORDS in utils/log-sql.ts;
 * keep them equal). A GIN entry holds at most 2 712 bytes: a longer word in
 * an email or a reason (lengthened by whoever can write Medusa's tables or
 * the session's row) made every insert of a line holding it fail, so what
 * the line records went unlogged or was refused for good. Rebuilt in
 * place: writes to the log wait while it builds.
 */
export class Migration20261204150001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS "IDX_login_as_customer_log_entry_search_words";`);
    this.addSql(`CREATE INDEX "IDX_login_as_customer_log_entry_search_words" ON "login_as_customer_log_entry" USING gin ((regexp_split_to_array(regexp_replace(lower(coalesce("user_email", '') || ' ' || coalesce("customer_email", '') || ' ' || "action" || ' ' || coalesce("session_id", '') || ' ' || coalesce("customer_id", '') || ' ' || coalesce("user_id", '') || ' ' || coalesce("details" ->> 'reason', '')), '([^\\x20-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7e]{200})', '\\1 ', 'g'), '[\\x20-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7e]+'))) WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS "IDX_login_as_customer_log_entry_search_words";`);
    await Migration20261202103001.prototype.up.call(this);
  }

}
