import { sha256 } from "./key"
import type { Sql } from "./checkpoint"
import { erasedCustomerEmailSql, erasedDetailsSql, LOG_TABLE } from "./sql"

/**
 * A customer's pseudonym in the log: stable (the same customer always gets
 * the same one, so their lines stay countable), and saying nothing the
 * line's `customer_id` doesn't already say.
 */
export function customerPseudonym(customerId: string): string {
  return `erased-${sha256(`login-as-customer:${customerId}`).slice(0, 16)}`
}

/**
 * Erases a customer's personal data from the log lines about them: the
 * customer's email becomes their pseudonym, the free text written about
 * them (`reason`, `note`) and any address become null, and the line's salt
 * is dropped, so its `pii_hash` no longer says anything about what was
 * there. The line's digest covered those fields only through `pii_hash`:
 * the chain still verifies. The append-only trigger allows exactly this
 * update and nothing else (the same SQL, from sql.ts); verification checks
 * that each erased line holds what it leaves, and that a
 * `personal_data_erased` line, which the caller writes next, records it.
 * An earlier erasure's record is left as it is: it holds only the pseudonym
 * (its salt stays, so its digest still checks that), and erasures of one
 * customer running at once then can't leave one's record unerased behind
 * another's. Returns the pseudonym and the lines changed.
 */
export async function eraseCustomerFromLog(
  sql: Sql,
  customerId: string
): Promise<{ pseudonym: string; erased_lines: number }> {
  const pseudonym = customerPseudonym(customerId)
  const { rows } = await sql.raw(
    `update ${LOG_TABLE}
        set "customer_email" = ${erasedCustomerEmailSql(LOG_TABLE)},
            "details" = ${erasedDetailsSql(LOG_TABLE)},
            "pii_salt" = null
      where "customer_id" = ? and "pii_salt" is not null and "action" <> 'personal_data_erased'
      returning "customer_email"`,
    [customerId]
  )
  return { pseudonym, erased_lines: rows.length }
}
