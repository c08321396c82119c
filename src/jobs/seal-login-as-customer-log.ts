import type { MedusaContainer } from "@medusajs/framework/types"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"

/**
 * Seals the log lines written since the last seal into a checkpoint, chained
 * to the one before and signed when a key is set (SECURITY.md, "The log's
 * integrity, retention and erasure").
 */
export default async function sealLoginAsCustomerLog(container: MedusaContainer) {
  await container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE).sealLog()
}

export const config = {
  name: "seal-login-as-customer-log",
  schedule: "* * * * *",
}
