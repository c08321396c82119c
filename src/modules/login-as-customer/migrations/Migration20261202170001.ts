import { Migration } from "@medusajs/framework/mikro-orm/migrations";
import { CHECKPOINT_BODY, ENTRY_BODY, inSchema } from "../log-integrity/trigger-functions";

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
