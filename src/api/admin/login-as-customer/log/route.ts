import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../modules/login-as-customer/service"
import type { AdminListLogType } from "../validators"
import { toLogFilter } from "./filters"

/**
 * The Login as Customer log, newest first, filtered (needs "View Login as
 * Customer Log"). `count` is exact up to 10 000 matches; past that it is the
 * database's estimate and `count_estimated` is true.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminListLogType>,
  res: MedusaResponse
) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const { limit, offset, order } = req.validatedQuery
  const filter = await toLogFilter(req.scope, req.validatedQuery)
  const page = await service.listLogEntriesCounted(filter, { limit, offset, ascending: order === "created_at" })
  res.json({ log_entries: page.rows, count: page.count, count_estimated: page.estimated, offset, limit })
}
