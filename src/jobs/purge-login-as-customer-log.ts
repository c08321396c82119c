import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"

/**
 * Retention: once a day, removes the sealed log lines older than the setting
 * `log_retention_days` (unset: kept forever), leaving a tombstone checkpoint
 * so the chain still verifies.
 */
export default async function purgeLoginAsCustomerLog(container: MedusaContainer) {
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  await service.sealLog()
  const result = await service.purgeLog()
  if (result.removed_lines || result.removed_checkpoints) {
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .info(
        `Login as Customer: retention removed ${result.removed_lines} log lines and ${result.removed_checkpoints} checkpoints (longest batch ${result.longest_batch_ms} ms)`
      )
  }
}

export const config = {
  name: "purge-login-as-customer-log",
  schedule: "17 3 * * *",
}
