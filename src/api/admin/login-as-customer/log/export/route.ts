import { once } from "events"
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { csvRow } from "../../../../../lib/csv"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../../modules/login-as-customer/service"
import { LOG_EXPORT_COLUMNS, LogCursor } from "../../../../../modules/login-as-customer/service"
import type { AdminExportLogType } from "../../validators"
import { toLogFilter } from "../filters"

const BATCH = 2000

/**
 * The log as CSV, with the list's filters. PostgreSQL writes the lines of
 * each keyset-paginated batch (see exportLogCsvBatch) while the previous one
 * is sent; the next batch waits for the socket to drain, so an export of
 * millions of rows holds at most two batches of text.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminExportLogType>,
  res: MedusaResponse
) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const filter = toLogFilter(req.validatedQuery)
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
  const read = (after: LogCursor | null) => service.exportLogCsvBatch(filter, { limit: BATCH, ascending, after })
  let next: ReturnType<typeof read> | null = read(null)
  while (next) {
    const batch = await next
    next = batch.next && !closed ? read(batch.next) : null
    if (batch.csv && !closed && !res.write(batch.csv)) {
      await Promise.race([once(res, "drain"), once(res, "close")])
    }
    if (closed && next) {
      // The client went away: let the read in flight finish unobserved.
      next.catch(() => undefined)
      next = null
    }
  }
  res.end()
}
