import { once } from "events"
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { csvRow } from "../../../../../lib/csv"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../../modules/login-as-customer/service"
import type { LogCursor } from "../../../../../modules/login-as-customer/service"
import type { AdminExportLogType } from "../../validators"
import { toLogFilter } from "../filters"

const COLUMNS = [
  "created_at",
  "action",
  "user_id",
  "user_email",
  "customer_id",
  "customer_email",
  "session_id",
  "actor_type",
  "actor_id",
  "details",
  "id",
] as const

const BATCH = 5000

/**
 * The log as CSV, with the list's filters. Streamed in keyset-paginated
 * batches: while one batch is formatted and sent, the database reads the
 * next, so an export of millions of rows holds at most two batches.
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

  res.write(csvRow([...COLUMNS]))
  const read = (after: LogCursor | null) => service.listLogEntriesPage(filter, { limit: BATCH, ascending, after })
  let next: ReturnType<typeof read> | null = read(null)
  while (next) {
    const page = await next
    next = page.next && !closed ? read(page.next) : null
    const chunk = page.rows
      .map((entry) => csvRow(COLUMNS.map((column) => entry[column])))
      .join("")
    if (chunk && !closed && !res.write(chunk)) {
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
