import type { SessionDTO } from "../types"

/** A row of `login_as_customer_session_cart`: a cart a session changed, written by the store guard. */
export type SessionCartRecord = {
  session_id: string
  cart_id: string
  customer_id: string
  user_id: string
  created_at: Date | string
  /** When the session last acted on the cart (its newest logged success there), if known. */
  acted_at?: Date | string
  /** When the session completed the cart (its first logged successful completion of it), if it did. */
  completed_at?: Date | string | null
}

export type AttributionInput = {
  /** The placed order's customer. */
  order_customer_id: string | null | undefined
  /** The records of the order's cart, any order. */
  records: SessionCartRecord[]
  /** The sessions those records name (missing ones are simply absent). */
  sessions: Array<Pick<SessionDTO, "id" | "user_id" | "customer_id" | "started_at" | "expires_at" | "ended_at">>
}

/**
 * The sentence stored with an attributed order (Medusa v2 orders have no notes
 * of their own), in the server's language; the admin shows its own translation
 * of it, made from the stored facts.
 */
export const attributionNote = (adminName: string) => `Placed by ${adminName} via Login as Customer`

const time = (value: Date | string | null | undefined) => (value == null ? NaN : new Date(value).getTime())

/**
 * The session an order is attributed to, or null. Pure, deny by default: a
 * record counts only when its session exists, belongs to the order's customer
 * and to the admin the record names, and the record was written while the
 * session ran (between its start and its end, or its expiry when it did not
 * end). Of several, the one whose session completed the cart wins (the
 * first, by `completed_at`: Medusa answers a completed cart's completion
 * again with its order); when none did, the one whose session acted on the
 * cart last (`acted_at`, else when it was recorded: a session records a
 * cart once, at its first change). Requests sent around a completion, even
 * after it, don't move the order to another session.
 */
export function attributedSession<S extends AttributionInput["sessions"][number]>({
  order_customer_id,
  records,
  sessions,
}: Omit<AttributionInput, "sessions"> & { sessions: S[] }): { session: S; record: SessionCartRecord } | null {
  if (!order_customer_id) {
    return null
  }
  const byId = new Map(sessions.map((session) => [session.id, session]))
  const completed = records.filter((record) => Number.isFinite(time(record.completed_at)))
  const latestFirst = [...records].sort((a, b) => time(b.acted_at ?? b.created_at) - time(a.acted_at ?? a.created_at))
  const ordered = [...completed.sort((a, b) => time(a.completed_at) - time(b.completed_at)), ...latestFirst]
  for (const record of ordered) {
    const session = byId.get(record.session_id)
    if (!session) continue
    if (session.customer_id !== order_customer_id || record.customer_id !== session.customer_id) continue
    if (record.user_id !== session.user_id) continue
    const at = time(record.created_at)
    const from = time(session.started_at)
    const until = time(session.ended_at ?? session.expires_at)
    // NaN (a session that never started, a missing time) fails both comparisons.
    if (!(at >= from && at <= until)) continue
    return { session, record }
  }
  return null
}
