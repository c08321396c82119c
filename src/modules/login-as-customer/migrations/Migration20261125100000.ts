import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The log's text search (`q`: a substring of the emails, ids or action) on a
 * trigram index, so it stays fast at millions of rows. One GIN index over the
 * searched columns joined together: the query filters on the same expression
 * (which the index answers) and then checks each column exactly.
 * pg_trgm ships with PostgreSQL and is a trusted extension (13+): the
 * database's owner can create it. Where it can't be had, the migration says
 * so and goes on without the index: the search still works, only slower.
 */
export class Migration20261125100000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`do $$ begin
      create extension if not exists "pg_trgm";
    exception when others then
      raise notice 'Login as Customer: the pg_trgm extension is not available (%): the log search works without its index, slower on large logs', sqlerrm;
    end $$;`);
    this.addSql(`do $$ begin
      if exists (select 1 from pg_extension where extname = 'pg_trgm') then
        CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_log_entry_search_trgm" ON "login_as_customer_log_entry" USING gin ((coalesce("user_email", '') || ' ' || coalesce("customer_email", '') || ' ' || "action" || ' ' || coalesce("session_id", '') || ' ' || coalesce("customer_id", '') || ' ' || coalesce("user_id", '')) gin_trgm_ops) WHERE deleted_at IS NULL;
      end if;
    end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_login_as_customer_log_entry_search_trgm";`);
  }

}
