import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201142446 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "login_as_customer_session_cart" drop constraint if exists "login_as_customer_session_cart_cart_id_session_id_unique";`);
    this.addSql(`create table if not exists "login_as_customer_session_cart" ("id" text not null, "session_id" text not null, "cart_id" text not null, "customer_id" text not null, "user_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "login_as_customer_session_cart_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_session_cart_deleted_at" ON "login_as_customer_session_cart" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_login_as_customer_session_cart_cart_id_session_id_unique" ON "login_as_customer_session_cart" ("cart_id", "session_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_session_cart_session_id" ON "login_as_customer_session_cart" ("session_id") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "login_as_customer_session" drop constraint if exists "login_as_customer_session_end_reason_check";`);

    this.addSql(`alter table if exists "login_as_customer_session" add constraint "login_as_customer_session_end_reason_check" check("end_reason" in ('logout', 'ended_by_admin', 'expired', 'consent_withdrawn', 'feature_disabled', 'superseded', 'admin_revoked', 'admin_logout'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "login_as_customer_session_cart" cascade;`);

    this.addSql(`alter table if exists "login_as_customer_session" drop constraint if exists "login_as_customer_session_end_reason_check";`);

    this.addSql(`alter table if exists "login_as_customer_session" add constraint "login_as_customer_session_end_reason_check" check("end_reason" in ('logout', 'ended_by_admin', 'expired', 'consent_withdrawn', 'feature_disabled', 'superseded', 'admin_revoked'));`);
  }

}
