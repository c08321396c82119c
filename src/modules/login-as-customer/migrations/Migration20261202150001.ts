import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The append-only triggers' functions look their tables up by a fixed
 * search_path: PostgreSQL's catalog, the schema the log lives in, and a
 * session's temporary schema last. Without it a session's temporary schema
 * came first, so a temporary table named `login_as_customer_log_checkpoint`
 * holding a made-up tombstone decided which lines and seals the trigger let
 * a DELETE remove (any role may create temporary tables by default).
 * The insert trigger's function reads no table and is left as it is.
 */
const FUNCTIONS = ["login_as_customer_log_entry_append_only", "login_as_customer_log_checkpoint_append_only"]

export class Migration20261202150001 extends Migration {

  override async up(): Promise<void> {
    for (const fn of FUNCTIONS) {
      this.addSql(`do $$ begin
  execute pg_catalog.format('alter function %I.%I() set search_path = pg_catalog, %I, pg_temp', current_schema(), '${fn}', current_schema());
end $$;`);
    }
  }

  override async down(): Promise<void> {
    for (const fn of FUNCTIONS) {
      this.addSql(`alter function "${fn}"() reset search_path;`);
    }
  }

}
