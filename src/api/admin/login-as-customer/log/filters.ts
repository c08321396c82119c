import type { LogFilter } from "../../../../types"
import type { AdminListLogType } from "../validators"

/** The validated query's filters, shared by the log list and its export. */
export function toLogFilter(query: Partial<AdminListLogType>): LogFilter {
  return {
    action: query.action ? (Array.isArray(query.action) ? query.action : [query.action]) : undefined,
    user_id: query.user_id,
    customer_id: query.customer_id,
    session_id: query.session_id,
    created_at: query.created_at,
    q: query.q || undefined,
  }
}
