import type { SessionDTO } from "../types"

/**
 * What the log says a session did with the order's cart: its own lines
 * (keyed, with the key) of store actions on it that the store answered with
 * success. Found through the plugin's records of the carts sessions changed
 * (`login_as_customer_session_cart`), whose other fields are not evidence:
 * that table is not append-only.
 */
export type CartAct = {
  session_id: string
  /** When the session last acted on the cart (its newest such line). */
  acted_at: Date | string
  /** When the session completed the cart (its first such line of a completion), if it did. */
  completed_at?: Date | string | null
}

export type AttributionInput = {
  /** The placed order's customer. */
  order_customer_id: string | null | undefined
  /** What sessions did with the order's cart, any order. */
  acts: CartAct[]
  /** The sessions those acts name, as their `ticket_issued` lines record them (missing ones are simply absent). */
  sessions: Array<Pick<SessionDTO, "id" | "user_id" | "customer_id" | "started_at" | "expires_at" | "ended_at">>
}

/** A line of a request the session served may be written just after the session ended (a request in flight then). */
const IN_FLIGHT_MS = 60_000

/**
 * The sentence stored with an attributed order (Medusa v2 orders have no notes
 * of their own), in the server's language; the admin shows its own translation
 * of it, made from the stored facts.
 */
export const attributionNote = (adminName: string) => `Placed by ${adminName} via Login as Customer`

const time = (value: Date | string | null | undefined) => (value == null ? NaN : new Date(value).getTime())

/**
 * The session an order is attributed to, or null. Pure, deny by default: an
 * act counts only when its session exists, belongs to the order's customer,
 * and acted on the cart while it ran (from its start to its end, or its
 * expiry when it did not end, a request in flight then included). Of
 * several, the one whose session completed the cart wins (the first, by
 * `completed_at`: Medusa answers a completed cart's completion again with its
 * order); when none did, the one whose session acted on the cart last.
 * Requests sent around a completion, even after it, don't move the order to
 * another session.
 */
export function attributedSession<S extends AttributionInput["sessions"][number]>({
  order_customer_id,
  acts,
  sessions,
}: Omit<AttributionInput, "sessions"> & { sessions: S[] }): { session: S; act: CartAct } | null {
  if (!order_customer_id) {
    return null
  }
  const byId = new Map(sessions.map((session) => [session.id, session]))
  const completed = acts.filter((act) => Number.isFinite(time(act.completed_at)))
  const latestFirst = [...acts].sort((a, b) => time(b.acted_at) - time(a.acted_at))
  for (const act of [...completed.sort((a, b) => time(a.completed_at) - time(b.completed_at)), ...latestFirst]) {
    const session = byId.get(act.session_id)
    if (!session || session.customer_id !== order_customer_id) continue
    const at = time(act.acted_at)
    const from = time(session.started_at)
    const until = time(session.ended_at ?? session.expires_at) + IN_FLIGHT_MS
    // NaN (a session that never started, a missing time) fails both comparisons.
    if (!(at >= from && at <= until)) continue
    return { session, act }
  }
  return null
}
