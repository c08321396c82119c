import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261205052243 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "login_as_customer_cart_completion" add column if not exists "order_id" text null;`);
    this.addSql(`alter table if exists "login_as_customer_cart_completion" alter column "session_id" type text using ("session_id"::text);`);
    this.addSql(`alter table if exists "login_as_customer_cart_completion" alter column "session_id" drop not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "login_as_customer_cart_completion" drop column if exists "order_id";`);

    this.addSql(`alter table if exists "login_as_customer_cart_completion" alter column "session_id" type text using ("session_id"::text);`);
    this.addSql(`alter table if exists "login_as_customer_cart_completion" alter column "session_id" set not null;`);
  }

}
