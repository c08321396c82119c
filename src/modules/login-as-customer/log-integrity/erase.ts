import { sha256 } from "./key"
import type { Sql } from "./checkpoint"
import { LOG_TABLE, PERSONAL_DETAIL_KEYS } from "./sql"

/**
 * A customer's pseudonym in the log: stable (the same customer always gets
 * the same one, so their lines stay countable), and saying nothing the
 * line's `customer_id` doesn't already say.
 */
export function customerPseudonym(customerId: string): string {
  return `erased-${sha256(`login-as-customer:${customerId}`).slice(0, 16)}`
}

const personalKeys = `array[${PERSONAL_DETAIL_KEYS.map((k) => `'${k}'`).join(", ")}]::text[]`

/**
 * Erases a customer's personal data from the log lines about them: the
 * customer's email becomes their pseudonym, the free text written about
 * them (`reason`, `note`) and any address become null, and the line's salt
 * is dropped, so its `pii_hash` no longer says anything about what was
 * there. The line's digest covered those fields only through `pii_hash`:
 * the chain still verifies. The append-only trigger allows exactly this
 * update and nothing else. Returns the pseudonym and the lines changed.
 */
export async function eraseCustomerFromLog(
  sql: Sql,
  customerId: string
): Promise<{ pseudonym: string; erased_lines: number }> {
  const pseudonym = customerPseudonym(customerId)
  const { rows } = await sql.raw(
    `update ${LOG_TABLE}
        set "customer_email" = case when "customer_email" is null then null else ? end,
            "details" = case when "details" is null then null else
              ("details" - ${personalKeys}) || coalesce(
                (select pg_catalog.jsonb_object_agg(k, 'null'::jsonb) from pg_catalog.jsonb_object_keys("details") k where k = any(${personalKeys})),
                '{}'::jsonb) end,
            "pii_salt" = null
      where "customer_id" = ? and "pii_salt" is not null
      returning 1`,
    [pseudonym, customerId]
  )
  return { pseudonym, erased_lines: rows.length }
}
