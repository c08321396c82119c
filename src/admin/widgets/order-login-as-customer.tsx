import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { LoginAsCustomerPanel } from "../components/login-as-customer-panel"
import { orderCustomer, orderNote } from "../components/order-customer"
import { useCurrentUserId } from "../hooks/use-current-user"

/**
 * Login as Customer on the order page, where Medusa handles fulfillments,
 * returns, refunds and claims. The session records the order it started from.
 */
const OrderLoginAsCustomerWidget = ({ data }: DetailWidgetProps<AdminOrder>) => {
  const userId = useCurrentUserId()
  return (
    <LoginAsCustomerPanel
      {...orderCustomer(data)}
      orderId={data.id}
      orderNote={orderNote(data)}
      currentUserId={userId}
    />
  )
}

export const config = defineWidgetConfig({ zone: "order.details.side" })

export default OrderLoginAsCustomerWidget
