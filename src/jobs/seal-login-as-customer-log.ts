import type { MedusaContainer } from "@medusajs/framework/types"
import { logIntegrity, sealLog } from "../modules/login-as-customer/log-integrity"

/**
 * Seals the log lines written since the last seal into a checkpoint, chained
 * to the one before and signed when a key is set (SECURITY.md, "The log's
 * integrity").
 */
export default async function sealLoginAsCustomerLog(container: MedusaContainer) {
  const { knex, key } = logIntegrity(container)
  await sealLog(knex, key)
}

export const config = {
  name: "seal-login-as-customer-log",
  schedule: "* * * * *",
}
