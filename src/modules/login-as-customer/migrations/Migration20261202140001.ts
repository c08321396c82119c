import { Migration } from "@medusajs/framework/mikro-orm/migrations";
import { erasedCustomerEmailSql, erasedDetailsSql } from "../log-integrity/sql";

/**
 * Retention's exception to the append-only rule follows only the chain's
 * newest tombstone: the tombstone with the highest seq from 1, and only
 * when it stands for checkpoints before it (`from_seq` from 1 up to
 * `to_seq`, below its own seq), which is how retention writes one.
 *
 * Before, any tombstone row counted: one inserted by a plain INSERT at seq 0
 * (outside the chain), or one standing for checkpoints after itself, let the
 * lines and seals it claimed be deleted. Verification names such a row, but
 * the lines were gone. A row inserted at the chain's end with a well-formed
 * range still passes the trigger, which can't check the key's signature (it
 * is not in the database): retention refuses to go on after it and
 * verification names it (SECURITY.md, "What is still open").
 */
type Exception = { lines: string; seals: string }

const NEWEST = `"t"."seq" = (select max("seq") from "login_as_customer_log_checkpoint" where "kind" = 'tombstone' and "seq" >= 1)
       and "t"."from_seq" >= 1 and "t"."to_seq" >= "t"."from_seq" and "t"."to_seq" < "t"."seq"`

/** Now: what the chain's newest tombstone stands for. */
const CHAIN: Exception = {
  lines: `exists (select 1 from "login_as_customer_log_checkpoint" "t" where ${NEWEST} and old."xact_id" < "t"."to_xid")`,
  seals: `exists (select 1 from "login_as_customer_log_checkpoint" "t" where ${NEWEST} and old."seq" >= 1 and old."seq" <= "t"."to_seq")`,
}

/** Before (Migration20261201177001): below any tombstone row's range. */
const ANY_ROW: Exception = {
  lines: `old."xact_id" < (select coalesce(max("to_xid"), 0) from "login_as_customer_log_checkpoint" where "kind" = 'tombstone')`,
  seals: `old."seq" <= (select coalesce(max("to_seq"), 0) from "login_as_customer_log_checkpoint" where "kind" = 'tombstone')`,
}

const entryAppendOnly = (covered: Exception) => `create or replace function "login_as_customer_log_entry_append_only"() returns trigger language plpgsql as $$
declare
  erased "login_as_customer_log_entry";
begin
  if tg_op = 'DELETE' then
    -- Retention: only lines a tombstone stands for.
    if old."xact_id" is not null and ${covered.lines} then
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
$$;`

const checkpointAppendOnly = (covered: Exception) => `create or replace function "login_as_customer_log_checkpoint_append_only"() returns trigger language plpgsql as $$
begin
  -- Retention: only seal checkpoints a tombstone stands for.
  if tg_op = 'DELETE' and old."kind" = 'seal' and ${covered.seals} then
    return old;
  end if;
  raise exception 'login_as_customer_log_checkpoint is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end
$$;`

export class Migration20261202140001 extends Migration {

  override async up(): Promise<void> {
    // The newest tombstone is one probe of this index (seals far outnumber tombstones).
    this.addSql(`create index if not exists "IDX_login_as_customer_log_checkpoint_tombstone_seq" on "login_as_customer_log_checkpoint" ("seq") where "kind" = 'tombstone';`);
    this.addSql(entryAppendOnly(CHAIN));
    this.addSql(checkpointAppendOnly(CHAIN));
  }

  override async down(): Promise<void> {
    this.addSql(entryAppendOnly(ANY_ROW));
    this.addSql(checkpointAppendOnly(ANY_ROW));
    this.addSql(`drop index if exists "IDX_login_as_customer_log_checkpoint_tombstone_seq";`);
  }

}
