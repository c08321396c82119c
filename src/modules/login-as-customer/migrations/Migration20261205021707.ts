import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261205021707 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "login_as_customer_cart_completion" ("id" text not null, "cart_id" text not null, "session_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "login_as_customer_cart_completion_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_cart_completion_deleted_at" ON "login_as_customer_cart_completion" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_cart_completion_cart_id" ON "login_as_customer_cart_completion" ("cart_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "login_as_customer_cart_completion" cascade;`);
  }

}
