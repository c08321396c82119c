import { Migration } from "@medusajs/framework/mikro-orm/migrations";
import { erasedCustomerEmailSql, erasedDetailsSql, lineDigestSql, piiHashSql } from "../log-integrity/sql";

/**
 * Tamper evidence, retention and erasure for the log (SECURITY.md, "The log's
 * integrity").
 *
 * - Each line gets, from a BEFORE INSERT trigger (whatever the insert says):
 *   `xact_id`, the id of the transaction that wrote it (PostgreSQL's 64-bit
 *   xid8), which the seal job uses to know when no earlier line can still
 *   commit; `pii_salt` and `pii_hash`, the salted hash of the customer's
 *   personal fields; `digest`, the sha256 of the line (the admin's email
 *   included) with those fields counted only through `pii_hash`.
 * - `login_as_customer_log_checkpoint`: the chain of sealed ranges and
 *   retention tombstones, append-only like the log.
 * - The append-only rule gets its two sanctioned exceptions: a DELETE of lines
 *   (and seal checkpoints) a retention tombstone already covers, and the
 *   UPDATE erasure makes of a line about a customer: the customer's email to
 *   the pseudonym of that line's customer_id, personal detail keys to null,
 *   the salt dropped, nothing else. Everything else is still refused, TRUNCATE always.
 * - `login_as_customer_settings.log_retention_days` (null: keep forever).
 * - `login_as_customer_log_verification`: the last verifications' answers.
 * Lines written before this migration get `xact_id` 0 (older than any
 * transaction) and their hashes now.
 */
export class Migration20261201177001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "login_as_customer_log_entry"
      add column if not exists "xact_id" bigint null,
      add column if not exists "digest" text null,
      add column if not exists "pii_hash" text null,
      add column if not exists "pii_salt" text null;`);

    this.addSql(`create table if not exists "login_as_customer_log_checkpoint" (
      "id" text not null,
      "seq" bigint not null,
      "kind" text not null check ("kind" in ('seal', 'tombstone')),
      "from_xid" bigint not null,
      "to_xid" bigint not null,
      "from_seq" bigint null,
      "to_seq" bigint null,
      "line_count" bigint not null,
      "lines_digest" text not null,
      "anchor_digest" text null,
      "first_line_at" text null,
      "last_line_at" text null,
      "line_ids" text[] null,
      "prev_digest" text not null,
      "digest" text not null,
      "key_id" text null,
      "signature" text null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "deleted_at" timestamptz null,
      constraint "login_as_customer_log_checkpoint_pkey" primary key ("id"));`);
    this.addSql(`create unique index if not exists "IDX_login_as_customer_log_checkpoint_seq_unique" on "login_as_customer_log_checkpoint" ("seq");`);

    // The append-only triggers ask for the newest tombstone on every DELETE.
    this.addSql(`create index if not exists "IDX_login_as_customer_log_checkpoint_tombstone_to_xid" on "login_as_customer_log_checkpoint" ("to_xid") where "kind" = 'tombstone';`);
    this.addSql(`create index if not exists "IDX_login_as_customer_log_checkpoint_tombstone_to_seq" on "login_as_customer_log_checkpoint" ("to_seq") where "kind" = 'tombstone';`);

    this.addSql(`create table if not exists "login_as_customer_log_verification" (
      "id" text not null,
      "verified" boolean not null,
      "verified_through" text null,
      "checkpoints" bigint not null,
      "lines" bigint not null,
      "first_mismatch" jsonb null,
      "signed" boolean not null,
      "duration_ms" integer not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "deleted_at" timestamptz null,
      constraint "login_as_customer_log_verification_pkey" primary key ("id"));`);
    this.addSql(`create index if not exists "IDX_login_as_customer_log_verification_created_at" on "login_as_customer_log_verification" ("created_at");`);

    this.addSql(`alter table if exists "login_as_customer_settings" add column if not exists "log_retention_days" integer null;`);

    // Lines already written: transaction 0, hashed now (the append-only
    // trigger is off for these three statements of the migration only).
    this.addSql(`alter table "login_as_customer_log_entry" disable trigger "login_as_customer_log_entry_no_change";`);
    this.addSql(`update "login_as_customer_log_entry" set "xact_id" = 0, "pii_salt" = replace(pg_catalog.gen_random_uuid()::text, '-', '') where "xact_id" is null;`);
    this.addSql(`update "login_as_customer_log_entry" l set "pii_hash" = ${piiHashSql("l")} where "pii_hash" is null;`);
    this.addSql(`update "login_as_customer_log_entry" l set "digest" = ${lineDigestSql("l")} where "digest" is null;`);
    this.addSql(`alter table "login_as_customer_log_entry" enable always trigger "login_as_customer_log_entry_no_change";`);

    this.addSql(`create index if not exists "IDX_login_as_customer_log_entry_xact_id_id" on "login_as_customer_log_entry" ("xact_id", "id");`);
    // Verification checks every erased line, and every recorded erasure.
    this.addSql(`create index if not exists "IDX_login_as_customer_log_entry_erased" on "login_as_customer_log_entry" ("customer_id", "xact_id") where "pii_salt" is null;`);
    this.addSql(`create index if not exists "IDX_login_as_customer_log_entry_erasure_record" on "login_as_customer_log_entry" ("customer_id", "xact_id") where "action" = 'personal_data_erased';`);

    this.addSql(`create or replace function "login_as_customer_log_entry_seal_fields"() returns trigger language plpgsql as $$
begin
  new."xact_id" := pg_catalog.pg_current_xact_id()::text::bigint;
  new."pii_salt" := pg_catalog.replace(pg_catalog.gen_random_uuid()::text, '-', '');
  new."pii_hash" := ${piiHashSql("new")};
  new."digest" := ${lineDigestSql("new")};
  return new;
end
$$;`);
    this.addSql(`drop trigger if exists "login_as_customer_log_entry_seal" on "login_as_customer_log_entry";`);
    this.addSql(`create trigger "login_as_customer_log_entry_seal" before insert on "login_as_customer_log_entry" for each row execute function "login_as_customer_log_entry_seal_fields"();`);
    this.addSql(`alter table "login_as_customer_log_entry" enable always trigger "login_as_customer_log_entry_seal";`);

    this.addSql(`create or replace function "login_as_customer_log_entry_append_only"() returns trigger language plpgsql as $$
declare
  erased "login_as_customer_log_entry";
begin
  if tg_op = 'DELETE' then
    -- Retention: only lines a tombstone checkpoint already covers.
    if old."xact_id" is not null and old."xact_id" < (
      select coalesce(max("to_xid"), 0) from "login_as_customer_log_checkpoint" where "kind" = 'tombstone'
    ) then
      return old;
    end if;
  elsif tg_op = 'UPDATE' then
    -- Erasure, of a line about a customer: exactly what erase.ts writes (the
    -- customer's email to the pseudonym of the line's own customer_id, the
    -- personal keys of details to null, the salt dropped), every other
    -- column (the admin's email included) as it was.
    if old."pii_salt" is not null and old."customer_id" is not null then
      erased := old;
      erased."customer_email" := ${erasedCustomerEmailSql("old")};
      erased."details" := ${erasedDetailsSql("old")};
      erased."pii_salt" := null;
      if new is not distinct from erased then
        return new;
      end if;
    end if;
  end if;
  raise exception 'login_as_customer_log_entry is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end
$$;`);

    this.addSql(`create or replace function "login_as_customer_log_checkpoint_append_only"() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and old."kind" = 'seal' and old."seq" <= (
    select coalesce(max("to_seq"), 0) from "login_as_customer_log_checkpoint" where "kind" = 'tombstone'
  ) then
    return old;
  end if;
  raise exception 'login_as_customer_log_checkpoint is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end
$$;`);
    this.addSql(`drop trigger if exists "login_as_customer_log_checkpoint_no_change" on "login_as_customer_log_checkpoint";`);
    this.addSql(`create trigger "login_as_customer_log_checkpoint_no_change" before update or delete on "login_as_customer_log_checkpoint" for each row execute function "login_as_customer_log_checkpoint_append_only"();`);
    this.addSql(`drop trigger if exists "login_as_customer_log_checkpoint_no_truncate" on "login_as_customer_log_checkpoint";`);
    this.addSql(`create trigger "login_as_customer_log_checkpoint_no_truncate" before truncate on "login_as_customer_log_checkpoint" for each statement execute function "login_as_customer_log_checkpoint_append_only"();`);
    this.addSql(`alter table "login_as_customer_log_checkpoint" enable always trigger "login_as_customer_log_checkpoint_no_change";`);
    this.addSql(`alter table "login_as_customer_log_checkpoint" enable always trigger "login_as_customer_log_checkpoint_no_truncate";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function "login_as_customer_log_entry_append_only"() returns trigger language plpgsql as $$
begin
  raise exception 'login_as_customer_log_entry is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end
$$;`);
    this.addSql(`drop trigger if exists "login_as_customer_log_entry_seal" on "login_as_customer_log_entry";`);
    this.addSql(`drop function if exists "login_as_customer_log_entry_seal_fields"();`);
    this.addSql(`drop index if exists "IDX_login_as_customer_log_entry_xact_id_id";`);
    this.addSql(`drop index if exists "IDX_login_as_customer_log_entry_erased";`);
    this.addSql(`drop index if exists "IDX_login_as_customer_log_entry_erasure_record";`);
    this.addSql(`alter table "login_as_customer_log_entry" drop column if exists "xact_id", drop column if exists "digest", drop column if exists "pii_hash", drop column if exists "pii_salt";`);
    this.addSql(`drop table if exists "login_as_customer_log_checkpoint" cascade;`);
    this.addSql(`drop function if exists "login_as_customer_log_checkpoint_append_only"();`);
    this.addSql(`drop table if exists "login_as_customer_log_verification" cascade;`);
    this.addSql(`alter table if exists "login_as_customer_settings" drop column if exists "log_retention_days";`);
  }

}
