import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { hasPassed } from "../../../../../lib/policy"
import { boundedLogDetails } from "../../../../../lib/bounded-log-details"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../modules/login-as-customer"
import { keyedEventId, resolveLogKey } from "../../../../../modules/login-as-customer/log-integrity/key"
import type LoginAsCustomerModuleService from "../../../../../modules/login-as-customer/service"
import { sessionEventId } from "../../../../../modules/login-as-customer/utils/log-line"
import { sessionsAsIssued } from "../../../../../workflows/session/steps/sessions-as-issued"

/**
 * Who ended a session, as the customer would say it: `customer` (you, by
 * withdrawing consent), `store` (someone at the store: End, End session on the
 * storefront, a new session, the feature switched off, the admin's access
 * removed) or `expired` (the session's time, or the consent's end date, ran
 * out). Null while the session is in progress.
 */
export type AssistanceEndedBy = "customer" | "store" | "expired"

export function assistanceEndedBy(
  session: { ended_at: Date | string | null; end_reason: string | null; expires_at: Date | string | null },
  endedByActor: string | null,
  now: Date = new Date()
): AssistanceEndedBy | null {
  if (!session.ended_at) {
    // Nobody used the session after its time ran out, so nothing marked it ended.
    return hasPassed(session.expires_at, now) ? "expired" : null
  }
  if (endedByActor === "customer") {
    return "customer"
  }
  switch (session.end_reason) {
    case "expired":
      return "expired"
    case "consent_withdrawn":
      // Withdrawn by an admin, or the consent's own end date passed.
      return endedByActor === "user" ? "store" : "expired"
    default:
      return "store"
  }
}

/**
 * A page of the customer's assistance sessions, newest first: who helped
 * (first name only), when, why, in which mode, who ended it, and the orders
 * placed during it (with the number the customer knows them by). The admin,
 * reason and mode are those the session's `ticket_issued` line records
 * (sessionsAsIssued), not its row's, which SQL could change since; with the
 * log's key, an order counts only by the app's own `order_placed` line.
 */
export async function listAssistanceHistory(
  container: MedusaContainer,
  customerId: string,
  { limit, offset }: { limit: number; offset: number }
) {
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  // The page's ids through the ORM, the rows in SQL (listSessionsByIds): a
  // row whose context was nested deep by SQL made her history answer 500.
  const [page, count] = await service.listAndCountLoginAsCustomerSessions(
    { customer_id: customerId, started_at: { $ne: null } },
    { select: ["id"], take: limit, skip: offset, order: { started_at: "DESC", id: "DESC" } }
  )
  // The page is still chosen by the row's customer_id (the history's filter);
  // a session whose ticket_issued line names another customer (its row moved
  // to her by SQL) is not hers to see.
  const sessions = (
    await sessionsAsIssued(container, await service.listSessionsByIds(page.map((session) => session.id)))
  ).filter((session) => session.customer_id === customerId)
  if (!sessions.length) {
    return { sessions: [], count }
  }
  const sessionIds = sessions.map((s) => s.id)
  const userIds = Array.from(new Set(sessions.map((s) => s.user_id)))
  const [users, entries] = await Promise.all([
    container
      .resolve(Modules.USER)
      .listUsers({ id: userIds }, { select: ["id", "first_name"], withDeleted: true }),
    service.listLoginAsCustomerLogEntries(
      { session_id: sessionIds, action: ["order_placed", "session_ended"], customer_id: customerId },
      // Their details are read bounded, below: never whole through the ORM.
      { select: ["id", "event_id", "session_id", "action", "actor_type"] }
    ),
  ])
  // With the key, only the line under the event's keyed id is the app's:
  // anyone who can insert into the log can write one under the plain id.
  const key = resolveLogKey(service.getOptions()?.log_key)
  const ownLine = (eventId: string | null | undefined, plainId: string) => !key || eventId === keyedEventId(key, plainId)
  const details = await boundedLogDetails(
    container,
    entries.filter((entry) => entry.action === "order_placed").map((entry) => entry.id)
  )
  const orderIdsOf = new Map<string, string[]>()
  const endedByOf = new Map<string, string>()
  for (const entry of entries) {
    const sessionId = entry.session_id as string
    if (entry.action === "session_ended") {
      if (ownLine(entry.event_id, sessionEventId("session_ended", sessionId))) endedByOf.set(sessionId, entry.actor_type)
      continue
    }
    const orderId = (details.get(entry.id) as { order_id?: unknown } | null | undefined)?.order_id
    if (typeof orderId === "string" && orderId && ownLine(entry.event_id, `order_placed:${orderId}`)) {
      const list = orderIdsOf.get(sessionId) ?? []
      if (!list.includes(orderId)) list.push(orderId)
      orderIdsOf.set(sessionId, list)
    }
  }
  const allOrderIds = Array.from(new Set(Array.from(orderIdsOf.values()).flat()))
  const orders = allOrderIds.length
    ? await container
        .resolve(Modules.ORDER)
        // Only her own orders: the log row alone is not trusted to say whose order it is.
        .listOrders({ id: allOrderIds, customer_id: customerId }, { select: ["id", "display_id"] })
    : []
  const displayIds = new Map(orders.map((o) => [o.id, o.display_id]))
  const firstNames = new Map(users.map((u) => [u.id, u.first_name ?? null]))
  const now = new Date()
  return {
    count,
    sessions: sessions.map((session) => {
      const orderIds = orderIdsOf.get(session.id) ?? []
      return {
        id: session.id,
        admin: { first_name: firstNames.get(session.user_id) ?? null },
        reason: session.reason ?? null,
        mode: session.mode,
        started_at: session.started_at,
        ended_at: session.ended_at,
        end_reason: session.end_reason ?? null,
        ended_by: assistanceEndedBy(session as never, endedByOf.get(session.id) ?? null, now),
        order_ids: orderIds,
        orders: orderIds
          .filter((id) => displayIds.has(id))
          .map((id) => ({ id, display_id: displayIds.get(id) as number })),
      }
    }),
  }
}
