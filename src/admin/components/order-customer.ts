import type { TFunction } from "i18next"

type OrderLike = {
  email?: string | null
  metadata?: Record<string, unknown> | null
  customer_id?: string | null
  customer?: { first_name?: string | null; last_name?: string | null; email?: string | null; has_account?: boolean } | null
}

/** The account an order or draft order belongs to: null for a guest. */
export function orderCustomer(order: OrderLike): { customerId: string | null; customerName: string } {
  const customer = order.customer
  const customerName =
    [customer?.first_name, customer?.last_name].filter(Boolean).join(" ") || customer?.email || order.email || ""
  const hasAccount = !!order.customer_id && customer?.has_account !== false
  return { customerId: hasAccount ? order.customer_id ?? null : null, customerName }
}

/** What an order placed in a Login as Customer session records about it (order.metadata.login_as_customer). */
export type OrderNoteFacts = {
  session_id: string | null
  user_id: string | null
  admin_name: string | null
  /** The sentence stored with the facts, in the server's language. */
  note: string | null
}

const text = (value: unknown) => (typeof value === "string" && value.trim() ? value : null)

/** The facts of the note an order placed in a session carries, if any. */
export function orderNoteFacts(order: OrderLike): OrderNoteFacts | null {
  const marker = order.metadata?.login_as_customer
  if (!marker || typeof marker !== "object") {
    return null
  }
  const facts = marker as Record<string, unknown>
  const admin = (facts.admin && typeof facts.admin === "object" ? facts.admin : {}) as Record<string, unknown>
  const result: OrderNoteFacts = {
    session_id: text(facts.session_id),
    user_id: text(facts.user_id) ?? text(admin.id),
    admin_name: text(facts.admin_name) ?? text(admin.name),
    note: text(facts.note),
  }
  return result.session_id || result.note ? result : null
}

/**
 * "Placed by … via Login as Customer" in the admin's language, made from the
 * stored facts; the stored sentence when the facts are missing (an order
 * annotated by an older version).
 */
export function orderNote(t: TFunction, order: OrderLike): string | null {
  const facts = orderNoteFacts(order)
  if (!facts) {
    return null
  }
  if (facts.admin_name) {
    return t("loginAsCustomer.orderNote.placedBy", { name: facts.admin_name })
  }
  return facts.note ?? t("loginAsCustomer.orderNote.placed")
}
