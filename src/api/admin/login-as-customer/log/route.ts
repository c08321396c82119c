import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../modules/login-as-customer/service"
import type { AdminListLogType } from "../validators"
import type { LogFilter } from "../../../../types"
import { namedBy, plainLogFilter } from "./filters"
import { abortedWithClient } from "../../../utils/request-abort"
import { SEARCH_QUEUE } from "../../../../modules/login-as-customer/services/log-queries"
import { isSlotsFull } from "../../../../modules/login-as-customer/utils/slots"

/**
 * The Login as Customer log, newest first, filtered (needs "View Login as
 * Customer Log"). `count` is exact up to 10 000 matches; past that it is the
 * database's estimate and `count_estimated` is true. A search that would wait
 * behind SEARCH_QUEUE others is answered `429 too_many_requests` with
 * `Retry-After`; one whose client gave up is dropped without an answer.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminListLogType>,
  res: MedusaResponse
) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const { limit, offset, order } = req.validatedQuery
  const signal = abortedWithClient(req, res)
  const list = (filter: LogFilter) =>
    service.listLogEntriesCounted(filter, { limit, offset, ascending: order === "created_at", signal })
  // A text's lines are looked up beside the admins and customers it names
  // (most texts name none); only when it names some is the list read again,
  // with their lines.
  const filter = plainLogFilter(req.validatedQuery)
  try {
    const [named, first] = await Promise.all([namedBy(req.scope, filter), list(filter)])
    const page = named ? await list(named) : first
    res.json({ log_entries: page.rows, count: page.count, count_estimated: page.estimated, offset, limit })
  } catch (error) {
    if (signal.aborted) return
    if (!isSlotsFull(error)) throw error
    res.setHeader("Retry-After", String(BUSY_RETRY_AFTER_S))
    res.status(429).json({
      type: "not_allowed",
      code: "too_many_requests",
      message: `The log is answering ${SEARCH_QUEUE} other searches; try again in ${BUSY_RETRY_AFTER_S} s`,
    })
  }
}

/** When to ask again after a full queue: about what the searches before it take. */
const BUSY_RETRY_AFTER_S = 5
