import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The planner keeps 1 000 values of the searched text (the trigram index's
 * expression) instead of PostgreSQL's default 100: the log list estimates a
 * text's matches past 10 000 from that sample (searchSample, textShare), and
 * a text in fewer lines than one value stands for was estimated at the
 * floor, 10 001, whatever its count: at ten million lines one value in 100
 * stands for 100 000 lines, one in 1 000 for 10 000. ANALYZE reads 300 000
 * lines for it instead of 30 000 (at a million lines about 14 s instead of
 * 1.4 s, in the background when autovacuum runs it).
 */
const INDEX = "IDX_login_as_customer_log_entry_search_trgm"

export class Migration20261203140001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter index "${INDEX}" alter column 1 set statistics 1000;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter index "${INDEX}" alter column 1 set statistics -1;`);
  }

}
