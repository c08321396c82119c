import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../modules/login-as-customer"
import { getLogHealth, logIntegrity } from "../../../../../modules/login-as-customer/log-integrity"
import type LoginAsCustomerModuleService from "../../../../../modules/login-as-customer/service"

/** The log's own health: lines, size on disk, oldest line, last seal and verification, retention. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { knex, key } = logIntegrity(req.scope)
  const settings = (await req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE).getSettings()) as {
    log_retention_days?: number | null
  }
  const health = await getLogHealth(knex, !!key)
  res.json({ health: { ...health, retention_days: settings.log_retention_days ?? null } })
}
