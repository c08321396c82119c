import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SqlWithTransactions } from "./checkpoint"
import { LogKey, resolveLogKey } from "./key"

export * from "./checkpoint"
export * from "./erase"
export * from "./health"
export * from "./key"
export * from "./retention"
export * from "./seal"
export * from "./verify"

/**
 * The database connection and signing key the log's integrity work uses:
 * Medusa's own connection (the plugin's tables live in the app's database),
 * and the key from the plugin option `log_key`, else LOGIN_AS_CUSTOMER_LOG_KEY.
 */
export function logIntegrity(container: MedusaContainer): { knex: SqlWithTransactions; key: LogKey | null } {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as unknown as SqlWithTransactions
  let fromOptions: string | undefined
  try {
    const service = container.resolve("loginAsCustomer") as { getOptions?: () => { log_key?: string } }
    fromOptions = service.getOptions?.().log_key
  } catch {
    fromOptions = undefined
  }
  return { knex, key: resolveLogKey(fromOptions) }
}
