import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The ticket exchange limits' counters (rate-limiter-flexible's Postgres
 * store, in its own table layout), shared by every server instance. `expire`
 * is a time in ms; expired rows are removed by the limiter itself.
 */
export class Migration20261201003302 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "login_as_customer_rate_limit" ("key" varchar(255) not null, "points" integer not null default 0, "expire" bigint null, constraint "login_as_customer_rate_limit_pkey" primary key ("key"));`);
    this.addSql(`create index if not exists "IDX_login_as_customer_rate_limit_expire" on "login_as_customer_rate_limit" ("expire");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "login_as_customer_rate_limit";`);
  }

}
