import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { LoginAsCustomerPanel } from "../components/login-as-customer-panel"
import { useCurrentUserId } from "../hooks/use-current-user"

/**
 * Login as Customer on the order page, where Medusa handles fulfillments,
 * returns, refunds and claims. The session records the order it started from.
 */
const OrderLoginAsCustomerWidget = ({ data }: DetailWidgetProps<AdminOrder>) => {
  const userId = useCurrentUserId()
  const customer = data.customer
  const name =
    [customer?.first_name, customer?.last_name].filter(Boolean).join(" ") || customer?.email || data.email || ""
  const hasAccount = !!data.customer_id && customer?.has_account !== false
  return (
    <LoginAsCustomerPanel
      customerId={hasAccount ? data.customer_id ?? null : null}
      customerName={name}
      orderId={data.id}
      currentUserId={userId}
    />
  )
}

export const config = defineWidgetConfig({ zone: "order.details.side" })

export default OrderLoginAsCustomerWidget
