import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../modules/login-as-customer/service"
import { closedSessionFilter, openSessionFilter } from "../../../../lib/policy"
import { formatAdminSessions } from "../../../utils/sessions"
import type { AdminListSessionsType } from "../validators"

/** Impersonation sessions, newest first; `active=true` for those in progress. */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminListSessionsType>,
  res: MedusaResponse
) => {
  const { customer_id, user_id, active, limit, offset, order } = req.validatedQuery
  // The filters read the rows' columns; the sessions are shown as their
  // ticket_issued lines record them (formatAdminSessions), so a row changed
  // by SQL may be listed under a filter its shown admin or customer isn't.
  const filters: Record<string, unknown> = {}
  if (customer_id) filters.customer_id = customer_id
  if (user_id) filters.user_id = user_id
  const now = new Date()
  if (active === true) {
    Object.assign(filters, openSessionFilter(now))
  } else if (active === false) {
    Object.assign(filters, closedSessionFilter(now))
  }
  const direction = order === "created_at" ? "ASC" : "DESC"
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  // The page's ids through the ORM, the rows in SQL (listSessionsByIds): a
  // row whose context was nested deep by SQL made the whole list answer 500.
  const [page, count] = await service.listAndCountLoginAsCustomerSessions(filters, {
    select: ["id"],
    skip: offset,
    take: limit,
    order: { created_at: direction, id: direction },
  })
  const sessions = await formatAdminSessions(req.scope, (await service.listSessionsByIds(page.map((session) => session.id))) as never)
  res.json({
    // A row open again after its end was logged (with the key) is shown ended: not in progress.
    sessions: active === true ? sessions.filter((session) => !session.ended_at) : sessions,
    count,
    offset,
    limit,
  })
}
