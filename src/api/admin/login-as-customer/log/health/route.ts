import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../../modules/login-as-customer/service"

/** The log's own health: lines, size on disk, oldest line, last seal and verification, retention. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  res.json({ health: await service.getLogHealth() })
}
