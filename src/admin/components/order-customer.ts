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

/** The note an order placed in a Login as Customer session carries, if any. */
export function orderNote(order: OrderLike): string | null {
  const marker = order.metadata?.login_as_customer as { note?: unknown } | undefined
  return typeof marker?.note === "string" ? marker.note : null
}
