import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LOG_TABLE } from "../modules/login-as-customer/log-integrity/sql"
import { LIST_DETAILS } from "../modules/login-as-customer/utils/log-cells"

/**
 * The `details` of the log lines `ids`, by line id, bounded as the log's list
 * shows them (LIST_DETAILS): one nested past 32 levels, holding a long number
 * or longer than 32 767 bytes as text comes back as a small `{ cut: … }`
 * object. Read in SQL, never whole through the ORM, whose recursive copy of a
 * deeply nested `details` (a line inserted by SQL) runs out of stack. A line
 * not found, or without details, maps to null (or is missing).
 */
export async function boundedLogDetails(
  container: MedusaContainer,
  ids: string[]
): Promise<Map<string, Record<string, unknown> | null>> {
  const details = new Map<string, Record<string, unknown> | null>()
  if (!ids.length) {
    return details
  }
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = (await knex.raw(`select "id", ${LIST_DETAILS} as "details" from ${LOG_TABLE} where "id" = any(?)`, [
    ids,
  ])) as { rows: Array<{ id: string; details: Record<string, unknown> | null }> }
  for (const row of rows) {
    details.set(row.id, row.details ?? null)
  }
  return details
}
