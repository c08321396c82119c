import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { SessionDTO } from "../../types"
import { toIso } from "../../lib/dates"
import { sessionStatus } from "../../lib/policy"
import { sessionsAsIssued } from "../../workflows/session/steps/sessions-as-issued"

/**
 * Sessions as the admin API shows them, with the acting admin's name: their
 * admin, customer, storefront, reason and mode as their `ticket_issued` lines
 * record them (sessionsAsIssued, one read for all), not as their rows say,
 * which SQL could change since. A session whose line the log doesn't hold
 * shows its row.
 */
export async function formatAdminSessions(container: MedusaContainer, rows: SessionDTO[]) {
  if (!rows.length) {
    return []
  }
  const sessions = await sessionsAsIssued(container, rows)
  const userIds = Array.from(new Set(sessions.map((s) => s.user_id)))
  const users = await container
    .resolve(Modules.USER)
    .listUsers({ id: userIds }, { select: ["id", "email", "first_name", "last_name"], withDeleted: true })
  const byId = new Map(users.map((u) => [u.id, u]))
  const now = new Date()
  return sessions.map((session) => {
    const user = byId.get(session.user_id)
    return {
      id: session.id,
      user_id: session.user_id,
      customer_id: session.customer_id,
      admin: user
        ? { id: user.id, email: user.email, first_name: user.first_name ?? null, last_name: user.last_name ?? null }
        : null,
      storefront_id: session.storefront_id ?? null,
      context: session.context ?? null,
      reason: session.reason ?? null,
      mode: session.mode,
      status: sessionStatus(session, now),
      started_at: toIso(session.started_at),
      expires_at: toIso(session.expires_at),
      ended_at: toIso(session.ended_at),
      end_reason: session.end_reason ?? null,
      created_at: toIso(session.created_at),
    }
  })
}

/** The session as the storefront sees it: whom it acts as, and who is helping. */
export async function formatStoreSession(container: MedusaContainer, session: SessionDTO) {
  const [customers, users] = await Promise.all([
    container
      .resolve(Modules.CUSTOMER)
      .listCustomers({ id: session.customer_id }, { select: ["id", "email", "first_name", "last_name"] }),
    container
      .resolve(Modules.USER)
      .listUsers({ id: session.user_id }, { select: ["id", "first_name", "last_name"], withDeleted: true }),
  ])
  const customer = customers[0]
  const user = users[0]
  return {
    id: session.id,
    mode: session.mode,
    started_at: toIso(session.started_at),
    expires_at: toIso(session.expires_at),
    ended_at: toIso(session.ended_at),
    end_reason: session.end_reason ?? null,
    customer: customer
      ? {
          id: customer.id,
          email: customer.email,
          first_name: customer.first_name ?? null,
          last_name: customer.last_name ?? null,
        }
      : { id: session.customer_id, email: null, first_name: null, last_name: null },
    admin: { first_name: user?.first_name ?? null, last_name: user?.last_name ?? null },
  }
}
