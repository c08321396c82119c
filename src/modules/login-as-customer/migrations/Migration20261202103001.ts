import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The log's text search looks a text's whole words up in a GIN index of the
 * searched text's words (LOG_SEARCH_WORDS in utils/log-sql.ts; keep them
 * equal): the searched text of Migration20261201005501 in lower case, split
 * at ASCII spaces and punctuation. `emma.yilmaz4242@` is then one posting
 * list (`yilmaz4242`, its lines exactly), where the trigram index intersects
 * one list per trigram, each in a few percent of the lines. The trigram
 * index stays for texts without a whole word. Core GIN, no extension; it
 * follows erasure and retention as the table's other indexes do.
 */
export class Migration20261202103001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_log_entry_search_words" ON "login_as_customer_log_entry" USING gin ((regexp_split_to_array(lower(coalesce("user_email", '') || ' ' || coalesce("customer_email", '') || ' ' || "action" || ' ' || coalesce("session_id", '') || ' ' || coalesce("customer_id", '') || ' ' || coalesce("user_id", '') || ' ' || coalesce("details" ->> 'reason', '')), '[\\x20-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7e]+'))) WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS "IDX_login_as_customer_log_entry_search_words";`);
  }

}
