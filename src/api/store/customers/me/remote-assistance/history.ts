import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../../modules/login-as-customer/service"

const HISTORY_LIMIT = 20

/**
 * The customer's recent assistance sessions: who helped (first name only),
 * when, why, how it ended, and the orders placed during it.
 */
export async function listAssistanceHistory(container: MedusaContainer, customerId: string) {
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const sessions = await service.listLoginAsCustomerSessions(
    { customer_id: customerId, started_at: { $ne: null } },
    { take: HISTORY_LIMIT, order: { started_at: "DESC" } }
  )
  if (!sessions.length) {
    return []
  }
  const sessionIds = sessions.map((s) => s.id)
  const userIds = Array.from(new Set(sessions.map((s) => s.user_id)))
  const [users, orders] = await Promise.all([
    container
      .resolve(Modules.USER)
      .listUsers({ id: userIds }, { select: ["id", "first_name"], withDeleted: true }),
    service.listLoginAsCustomerLogEntries(
      { session_id: sessionIds, action: "order_placed", customer_id: customerId },
      { select: ["session_id", "details"] }
    ),
  ])
  const firstNames = new Map(users.map((u) => [u.id, u.first_name ?? null]))
  return sessions.map((session) => ({
    id: session.id,
    admin: { first_name: firstNames.get(session.user_id) ?? null },
    reason: session.reason ?? null,
    mode: session.mode,
    started_at: session.started_at,
    ended_at: session.ended_at,
    end_reason: session.end_reason ?? null,
    order_ids: orders
      .filter((entry) => entry.session_id === session.id)
      .map((entry) => (entry.details as { order_id?: string } | null)?.order_id)
      .filter((id): id is string => !!id),
  }))
}
