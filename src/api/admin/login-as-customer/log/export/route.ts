import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { csvRow, LOG_EXPORT_COLUMNS } from "../../../../../lib/csv"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../../modules/login-as-customer/service"
import type { AdminExportLogType } from "../../validators"
import { toLogFilter } from "../filters"
import { abortedWithClient, answeringNow } from "../../../../utils/request-abort"

/**
 * The log as CSV, with the list's filters, streamed: PostgreSQL writes the
 * rows with one COPY straight into the response, at the pace the socket
 * drains, so an export of millions of rows holds a chunk at a time. A
 * download dropped midway (or while it waits its turn) cancels the COPY.
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

  const signal = abortedWithClient(req, res)
  res.write(csvRow([...LOG_EXPORT_COLUMNS]))
  try {
    // An export pipelined behind another on its connection takes no slot, and runs no COPY, before its turn to be sent.
    await answeringNow(res, signal)
    await service.exportLogCsv(filter, { ascending, signal }, res)
  } catch (error) {
    // The status is sent: cut the download short rather than end a partial file as if it were whole.
    if (!signal.aborted) {
      req.scope.resolve(ContainerRegistrationKeys.LOGGER).error(`Login as Customer: the log export failed: ${(error as Error).message}`)
    }
    res.destroy()
    return
  }
  res.end()
}
