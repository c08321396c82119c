type OrderLike = {
  email?: string | null
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
