import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"
import { LoginAsCustomerEvents, LogSealedEventData } from "../types"

/**
 * Seals the log lines written since the last seal into a checkpoint, chained
 * to the one before and signed when a key is set (SECURITY.md, "The log's
 * integrity, retention and erasure"), then emits `login_as_customer.log_sealed`
 * with the checkpoint's seq and digest, for subscribers that keep them
 * outside the database, and whether the log's guards (its triggers, their
 * functions, rules and columns) were changed in the database's catalog
 * since the seal before (a warning in the server's log too).
 */
export default async function sealLoginAsCustomerLog(container: MedusaContainer) {
  const checkpoint = await container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE).sealLog()
  if (!checkpoint) {
    return
  }
  const data: LogSealedEventData = {
    seq: Number(checkpoint.seq),
    digest: checkpoint.digest,
    signed: checkpoint.signature != null,
    key_id: checkpoint.key_id,
    line_count: Number(checkpoint.line_count),
    first_line_at: checkpoint.first_line_at,
    last_line_at: checkpoint.last_line_at,
    created_at: new Date(checkpoint.created_at).toISOString(),
    guards_rewritten: checkpoint.guards_rewritten,
  }
  if (checkpoint.guards_rewritten) {
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(
        `Login as Customer: the log's triggers, their functions, rules or columns were changed in the database since the seal before checkpoint ${checkpoint.seq}; lines not sealed then may have been removed or changed. If no upgrade of the plugin ran, verify the log (POST /admin/login-as-customer/log/verify).`
      )
  }
  await container.resolve(Modules.EVENT_BUS).emit({ name: LoginAsCustomerEvents.LOG_SEALED, data })
}

export const config = {
  name: "seal-login-as-customer-log",
  schedule: "* * * * *",
}
