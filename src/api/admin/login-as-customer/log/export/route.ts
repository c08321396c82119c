import { once } from "events"
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { csvRow, LOG_EXPORT_COLUMNS } from "../../../../../lib/csv"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../../modules/login-as-customer/service"
import type { AdminExportLogType } from "../../validators"
import { toLogFilter } from "../filters"

const BATCH = 5000

/**
 * The log as CSV, with the list's filters, streamed: the module reads it
 * through a cursor in batches and the next batch waits for the socket to
 * drain, so an export of millions of rows holds one batch at a time.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminExportLogType>,
  res: MedusaResponse
) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const filter = await toLogFilter(req.scope, req.validatedQuery)
  const ascending = req.validatedQuery.order === "created_at"

  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")
  res.status(200)
  res.setHeader("Content-Type", "text/csv; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="login-as-customer-log-${stamp}.csv"`)
  res.setHeader("Cache-Control", "no-store")

  let closed = false
  res.on("close", () => {
    closed = true
  })

  res.write(csvRow([...LOG_EXPORT_COLUMNS]))
  await service.streamLogCsv(filter, { ascending, batch: BATCH }, async (csv) => {
    if (!closed && !res.write(csv)) {
      await Promise.race([once(res, "drain"), once(res, "close")])
    }
    return !closed
  })
  res.end()
}
