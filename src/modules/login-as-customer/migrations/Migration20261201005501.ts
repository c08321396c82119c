import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The log's text search also reads the reason an admin gave (where support
 * staff write the ticket reference): the trigram index is rebuilt over the
 * searched text with `details ->> 'reason'` appended, the expression the
 * module's query filters on (SEARCH_TEXT in service.ts; keep them equal).
 * Without pg_trgm (see Migration20261125100000) there is nothing to rebuild.
 */
export class Migration20261201005501 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`do $$ begin
      if exists (select 1 from pg_extension where extname = 'pg_trgm') then
        DROP INDEX IF EXISTS "IDX_login_as_customer_log_entry_search_trgm";
        CREATE INDEX "IDX_login_as_customer_log_entry_search_trgm" ON "login_as_customer_log_entry" USING gin ((coalesce("user_email", '') || ' ' || coalesce("customer_email", '') || ' ' || "action" || ' ' || coalesce("session_id", '') || ' ' || coalesce("customer_id", '') || ' ' || coalesce("user_id", '') || ' ' || coalesce("details" ->> 'reason', '')) gin_trgm_ops) WHERE deleted_at IS NULL;
      end if;
    end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`do $$ begin
      if exists (select 1 from pg_extension where extname = 'pg_trgm') then
        DROP INDEX IF EXISTS "IDX_login_as_customer_log_entry_search_trgm";
        CREATE INDEX "IDX_login_as_customer_log_entry_search_trgm" ON "login_as_customer_log_entry" USING gin ((coalesce("user_email", '') || ' ' || coalesce("customer_email", '') || ' ' || "action" || ' ' || coalesce("session_id", '') || ' ' || coalesce("customer_id", '') || ' ' || coalesce("user_id", '')) gin_trgm_ops) WHERE deleted_at IS NULL;
      end if;
    end $$;`);
  }

}
