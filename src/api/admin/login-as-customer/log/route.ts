import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { getAdminPermissions } from "../../../../lib/permissions"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../modules/login-as-customer/service"
import type { AdminListLogType } from "../validators"
import { buildLogFilters } from "./filters"

/** The Login as Customer log, newest first, filtered (needs "View Login as Customer Log"). */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminListLogType>,
  res: MedusaResponse
) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const permissions = await getAdminPermissions(
    req.scope,
    req.auth_context,
    await service.getSettings()
  )
  if (!permissions.can_view_log) {
    throw new MedusaError(
      MedusaError.Types.FORBIDDEN,
      "You are not allowed to view the Login as Customer log",
      "permission_denied"
    )
  }

  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { limit, offset, order } = req.validatedQuery
  const { data: log_entries, metadata } = await query.graph({
    entity: "login_as_customer_log_entry",
    fields: req.queryConfig.fields,
    filters: buildLogFilters(req.validatedQuery) as never,
    pagination: {
      skip: offset,
      take: limit,
      order: { created_at: order === "created_at" ? "ASC" : "DESC", id: order === "created_at" ? "ASC" : "DESC" },
    },
  })

  res.json({ log_entries, count: metadata?.count ?? 0, offset, limit })
}
