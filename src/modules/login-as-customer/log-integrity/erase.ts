import { generateEntityId } from "@medusajs/framework/utils"
import { LogKey, sha256, sign, signatureValid } from "./key"
import type { SqlWithTransactions } from "./checkpoint"
import { insertLogLine } from "../utils/log-line"
import { erasedCustomerEmailSql, erasedDetailsSql, LOG_TABLE } from "./sql"

/**
 * A customer's pseudonym in the log: stable (the same customer always gets
 * the same one, so their lines stay countable), and saying nothing the
 * line's `customer_id` doesn't already say.
 */
export function customerPseudonym(customerId: string): string {
  return `erased-${sha256(`login-as-customer:${customerId}`).slice(0, 16)}`
}

/** What identifies an erasure record: its own line, its transaction, its customer. */
export type ErasureRecordIdentity = { id: string; xact_id: string; customer_id: string }

/**
 * The digest an erasure record's signature covers: the record line's id and
 * transaction id, the customer's id and pseudonym, under a prefix of its
 * own (a checkpoint's signature, over `lacc1`, is never one of these). So a
 * signature copied onto another line, another customer, or the same line
 * moved to another transaction, is not valid there.
 */
export function erasureRecordDigest(record: ErasureRecordIdentity): string {
  return sha256(JSON.stringify(["lace1", record.id, String(record.xact_id), record.customer_id, customerPseudonym(record.customer_id)]))
}

/**
 * The signature fields of an erasure record's `details` (`key_id`,
 * `signature`: HMAC-SHA256 with the log's key, as checkpoints are signed),
 * or none without a key.
 */
export function signErasureRecord(key: LogKey | null, record: ErasureRecordIdentity): { key_id?: string; signature?: string } {
  return key ? { key_id: key.id, signature: sign(key, erasureRecordDigest(record)) } : {}
}

/** Whether an erasure record's details hold a signature of it with `key`. */
export function erasureRecordSigned(
  key: LogKey,
  record: ErasureRecordIdentity & { key_id: string | null; signature: string | null }
): boolean {
  return record.key_id === key.id && signatureValid(key, erasureRecordDigest(record), record.signature)
}

/** Who erased, as the `personal_data_erased` line records it. */
export type ErasureBy = {
  /** `user`: an admin asked; `system`: the customer was deleted. */
  actor_type: "user" | "system"
  actor_id: string | null
  user_email?: string | null
}

/**
 * Erases a customer's personal data from the log lines about them and
 * records it, in one transaction: the customer's email becomes their
 * pseudonym, the free text written about them (`reason`, `note`) and any
 * address become null, and the line's salt is dropped, so its `pii_hash` no
 * longer says anything about what was there. The line's digest covered those
 * fields only through `pii_hash`: the chain still verifies. The reasons of
 * the customer's sessions (`login_as_customer_session.reason`) go too. The append-only
 * trigger allows exactly this update and nothing else (the same SQL, from
 * sql.ts). Then the `personal_data_erased` line (the pseudonym, how many
 * lines, what triggered it), signed with the log's key when there is one
 * (`signErasureRecord`): verification counts an erased line as recorded only
 * by such a record (erasure-check.ts), which whoever can run SQL as the app
 * but hasn't the key can't write. An earlier erasure's record is left as it
 * is: it holds only the pseudonym (its salt stays, so its digest still
 * checks that), and erasures of one customer running at once then can't
 * leave one's record unerased behind another's. Returns the pseudonym and
 * the lines changed.
 */
export async function eraseCustomerFromLog(
  knex: SqlWithTransactions,
  customerId: string,
  key: LogKey | null,
  by: ErasureBy
): Promise<{ pseudonym: string; erased_lines: number }> {
  const pseudonym = customerPseudonym(customerId)
  return await knex.transaction(async (trx) => {
    const { rows } = await trx.raw(
      `update ${LOG_TABLE}
          set "customer_email" = ${erasedCustomerEmailSql(LOG_TABLE)},
              "details" = ${erasedDetailsSql(LOG_TABLE)},
              "pii_salt" = null
        where "customer_id" = ? and "pii_salt" is not null and "action" <> 'personal_data_erased'
        returning "id"`,
      [customerId]
    )
    // The reasons written for the customer's sessions: the same free text
    // the log's lines held, which the admin's session list shows.
    await trx.raw(`update "login_as_customer_session" set "reason" = null where "customer_id" = ? and "reason" is not null`, [customerId])
    // The transaction's id, which the insert trigger gives the record line.
    const { rows: [{ xact_id }] } = await trx.raw(`select pg_catalog.pg_current_xact_id()::text as "xact_id"`)
    const id = generateEntityId(undefined, "lacl")
    const details = {
      pseudonym,
      erased_lines: rows.length,
      trigger: by.actor_type === "user" ? "admin" : "customer_deleted",
      ...signErasureRecord(key, { id, xact_id, customer_id: customerId }),
    }
    await insertLogLine(
      async (statement, bindings) => (await trx.raw(statement, bindings)).rows,
      id,
      {
        action: "personal_data_erased",
        actor_type: by.actor_type,
        actor_id: by.actor_id,
        user_id: by.actor_type === "user" ? by.actor_id : null,
        user_email: by.actor_type === "user" ? by.user_email ?? null : null,
        customer_id: customerId,
        customer_email: pseudonym,
        details,
      }
    )
    return { pseudonym, erased_lines: rows.length }
  })
}
