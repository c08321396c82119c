import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../../modules/login-as-customer/service"
import type { AdminLogStatsType } from "../../validators"

/** Sessions started per day over the last `days` days (default 30), for the log page's chart. */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminLogStatsType>,
  res: MedusaResponse
) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  res.json({ sessions_per_day: await service.countSessionsPerDay(req.validatedQuery.days) })
}
