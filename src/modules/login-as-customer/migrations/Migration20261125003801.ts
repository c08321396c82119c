import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261125003801 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "login_as_customer_remote_assistance" drop constraint if exists "login_as_customer_remote_assistance_customer_id_unique";`);
    this.addSql(`alter table if exists "login_as_customer_ticket" drop constraint if exists "login_as_customer_ticket_token_hash_unique";`);
    this.addSql(`alter table if exists "login_as_customer_log_entry" drop constraint if exists "login_as_customer_log_entry_event_id_unique";`);
    this.addSql(`alter table if exists "login_as_customer_admin_grant" drop constraint if exists "login_as_customer_admin_grant_user_id_unique";`);
    this.addSql(`create table if not exists "login_as_customer_admin_grant" ("id" text not null, "user_id" text not null, "can_login" boolean not null default false, "can_view_log" boolean not null default false, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "login_as_customer_admin_grant_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_admin_grant_deleted_at" ON "login_as_customer_admin_grant" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_login_as_customer_admin_grant_user_id_unique" ON "login_as_customer_admin_grant" ("user_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "login_as_customer_log_entry" ("id" text not null, "event_id" text null, "action" text not null, "actor_type" text not null, "actor_id" text null, "user_id" text null, "user_email" text null, "customer_id" text null, "customer_email" text null, "session_id" text null, "details" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "login_as_customer_log_entry_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_log_entry_deleted_at" ON "login_as_customer_log_entry" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_login_as_customer_log_entry_event_id_unique" ON "login_as_customer_log_entry" ("event_id") WHERE event_id IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_log_entry_created_at" ON "login_as_customer_log_entry" ("created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_log_entry_action_created_at" ON "login_as_customer_log_entry" ("action", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_log_entry_user_id_created_at" ON "login_as_customer_log_entry" ("user_id", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_log_entry_customer_id_created_at" ON "login_as_customer_log_entry" ("customer_id", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_log_entry_session_id_created_at" ON "login_as_customer_log_entry" ("session_id", "created_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "login_as_customer_session" ("id" text not null, "user_id" text not null, "customer_id" text not null, "storefront_id" text null, "context" jsonb null, "reason" text null, "mode" text check ("mode" in ('full', 'read_only')) not null default 'full', "started_at" timestamptz null, "expires_at" timestamptz not null, "ended_at" timestamptz null, "end_reason" text check ("end_reason" in ('logout', 'ended_by_admin', 'expired', 'consent_withdrawn', 'feature_disabled', 'superseded', 'admin_revoked')) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "login_as_customer_session_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_session_deleted_at" ON "login_as_customer_session" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_session_user_id_ended_at" ON "login_as_customer_session" ("user_id", "ended_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_session_customer_id_ended_at" ON "login_as_customer_session" ("customer_id", "ended_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "login_as_customer_settings" ("id" text not null, "enabled" boolean not null default false, "disable_page_cache" boolean not null default true, "store_selection" text check ("store_selection" in ('auto', 'manual')) not null default 'auto', "ticket_ttl_seconds" integer not null default 60, "session_ttl_seconds" integer not null default 3600, "storefronts" jsonb not null, "access" text check ("access" in ('all_admins', 'selected_admins')) not null default 'all_admins', "consent_mode" text check ("consent_mode" in ('customer_or_admin', 'customer_only', 'not_required')) not null default 'customer_or_admin', "require_reason" boolean not null default false, "notify_customer" boolean not null default false, "restricted_actions" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "login_as_customer_settings_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_settings_deleted_at" ON "login_as_customer_settings" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "login_as_customer_ticket" ("id" text not null, "token_hash" text not null, "user_id" text not null, "customer_id" text not null, "storefront_id" text null, "session_id" text not null, "expires_at" timestamptz not null, "consumed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "login_as_customer_ticket_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_ticket_deleted_at" ON "login_as_customer_ticket" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_login_as_customer_ticket_token_hash_unique" ON "login_as_customer_ticket" ("token_hash") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_ticket_session_id" ON "login_as_customer_ticket" ("session_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "login_as_customer_remote_assistance" ("id" text not null, "customer_id" text not null, "allowed" boolean not null default false, "expires_at" timestamptz null, "updated_by_type" text check ("updated_by_type" in ('customer', 'user')) null, "updated_by_id" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "login_as_customer_remote_assistance_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_login_as_customer_remote_assistance_deleted_at" ON "login_as_customer_remote_assistance" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_login_as_customer_remote_assistance_customer_id_unique" ON "login_as_customer_remote_assistance" ("customer_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "login_as_customer_admin_grant" cascade;`);

    this.addSql(`drop table if exists "login_as_customer_log_entry" cascade;`);

    this.addSql(`drop table if exists "login_as_customer_session" cascade;`);

    this.addSql(`drop table if exists "login_as_customer_settings" cascade;`);

    this.addSql(`drop table if exists "login_as_customer_ticket" cascade;`);

    this.addSql(`drop table if exists "login_as_customer_remote_assistance" cascade;`);
  }

}
