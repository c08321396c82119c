import { Migration } from "@medusajs/framework/mikro-orm/migrations";
import { erasedCustomerEmailSql, erasedDetailsSql } from "../log-integrity/sql";

/**
 * The log's trigger functions, as they now stand:
 *
 * - Retention's exception to the append-only rule follows only the chain's
 *   newest tombstone: the highest seq from 1, standing for checkpoints from
 *   1 on, all before itself; following the chain (the checkpoint just
 *   before it is still there, or is the last one it stands for); and the
 *   last seal it stands for still there, ending where its range ends
 *   (retention deletes the lines first, then the seals, that one last).
 *   Before (Migration20261201177001), any tombstone row counted: one
 *   inserted by a plain INSERT at seq 0, or at seq 2^63 - 1, let the lines
 *   and seals it claimed be deleted. A well-formed tombstone appended at the
 *   chain's end still passes: the key's signature is not in the database
 *   (SECURITY.md).
 * - They resolve nothing through schemas others may write to: their
 *   `search_path` is PostgreSQL's catalog and the session's temporary schema
 *   only (never searched for functions or operators), and the tables they
 *   read are named with the log's own schema. Before, a temporary table
 *   named like the checkpoints decided what a DELETE could remove, and an
 *   operator created in the log's schema for its row type (an exact match
 *   beats the catalog's `record = record`) made erasure's rule accept any
 *   UPDATE.
 * - Erasure's rule compares `details` by its text as well: jsonb's `=`
 *   compares numbers by value, so `{"n": 1.0}` could be rewritten as
 *   `{"n": 1}` with the salt dropped.
 *
 * down() resets the search path of the two functions that only get one
 * here; the append-only functions keep these stricter rules.
 */
const ENTRY_BODY = `
declare
  erased @S@."login_as_customer_log_entry";
begin
  if tg_op = 'DELETE' then
    -- Retention: only lines the chain's newest tombstone stands for.
    if old."xact_id" is not null and exists (
      select 1 from @S@."login_as_customer_log_checkpoint" "t" where @NEWEST@ and old."xact_id" < "t"."to_xid") then
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
      -- details compared by its text too: jsonb's = takes 1.0 for 1.
      if new is not distinct from erased and new."details"::text is not distinct from erased."details"::text then
        return new;
      end if;
    end if;
  end if;
  raise exception 'login_as_customer_log_entry is append-only: @PCT@ is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end
`

const CHECKPOINT_BODY = `
begin
  -- Retention: only seal checkpoints the chain's newest tombstone stands for.
  if tg_op = 'DELETE' and old."kind" = 'seal' and old."seq" >= 1 and exists (
    select 1 from @S@."login_as_customer_log_checkpoint" "t" where @NEWEST@ and old."seq" <= "t"."to_seq") then
    return old;
  end if;
  raise exception 'login_as_customer_log_checkpoint is append-only: @PCT@ is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end
`

/** The chain's newest tombstone, well formed and following the chain. */
const NEWEST = `"t"."seq" = (select max("seq") from @S@."login_as_customer_log_checkpoint" where "kind" = 'tombstone' and "seq" >= 1)
     and "t"."from_seq" >= 1 and "t"."to_seq" >= "t"."from_seq" and "t"."to_seq" < "t"."seq"
     and ("t"."to_seq" = "t"."seq" - 1
          or exists (select 1 from @S@."login_as_customer_log_checkpoint" "p" where "p"."seq" = "t"."seq" - 1))
     and exists (select 1 from @S@."login_as_customer_log_checkpoint" "s"
                  where "s"."seq" = "t"."to_seq" and "s"."kind" = 'seal' and "s"."to_xid" = "t"."to_xid")`

/** `create or replace function` of `body` in the current schema, with its tables named in it and a fixed search_path. */
function inSchema(name: string, body: string): string {
  const text = body
    .replace(/@NEWEST@/g, NEWEST)
    .replace(/%/g, "%%")
    .replace(/@S@/g, "%1$I")
    .replace(/@PCT@/g, "%%")
  return `do $do$ begin
  execute pg_catalog.format($fmt$create or replace function %1$I."${name}"() returns trigger language plpgsql
    set search_path = pg_catalog, pg_temp as $body$${text}$body$$fmt$, current_schema());
end $do$;`
}

const SEAL_FIELDS = "login_as_customer_log_entry_seal_fields"
const VERIFICATION = "login_as_customer_log_verification_append_only"

export class Migration20261202170001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(inSchema("login_as_customer_log_entry_append_only", ENTRY_BODY));
    this.addSql(inSchema("login_as_customer_log_checkpoint_append_only", CHECKPOINT_BODY));
    // These two read no table: only the path is fixed.
    for (const fn of [SEAL_FIELDS, VERIFICATION]) {
      this.addSql(`alter function "${fn}"() set search_path = pg_catalog, pg_temp;`);
    }
  }

  override async down(): Promise<void> {
    for (const fn of [SEAL_FIELDS, VERIFICATION]) {
      this.addSql(`alter function "${fn}"() reset search_path;`);
    }
  }

}
