import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../modules/login-as-customer/service"
import type { AdminListLogType } from "../validators"
import type { LogFilter } from "../../../../types"
import { namedBy, plainLogFilter } from "./filters"

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
  const list = (filter: LogFilter) => service.listLogEntriesCounted(filter, { limit, offset, ascending: order === "created_at" })
  // A text's lines are looked up beside the admins and customers it names
  // (most texts name none); only when it names some is the list read again,
  // with their lines.
  const filter = plainLogFilter(req.validatedQuery)
  const [named, first] = await Promise.all([namedBy(req.scope, filter), list(filter)])
  const page = named ? await list(named) : first
  res.json({ log_entries: page.rows, count: page.count, count_estimated: page.estimated, offset, limit })
}
