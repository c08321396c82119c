import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../modules/login-as-customer/service"
import type { AdminListLogType } from "../validators"
import { toLogFilter } from "./filters"

/** The Login as Customer log, newest first, filtered (needs "View Login as Customer Log"). */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminListLogType>,
  res: MedusaResponse
) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const { limit, offset, order } = req.validatedQuery
  const filter = toLogFilter(req.validatedQuery)
  const [page, count] = await Promise.all([
    service.listLogEntriesPage(filter, { limit, offset, ascending: order === "created_at" }),
    service.countLogEntries(filter),
  ])
  res.json({ log_entries: page.rows, count, offset, limit })
}
