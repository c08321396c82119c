import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminListLogType } from "../validators"
import { buildLogFilters } from "./filters"

/** The Login as Customer log, newest first, filtered (needs "View Login as Customer Log"). */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminListLogType>,
  res: MedusaResponse
) => {
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
