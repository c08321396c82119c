import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { LoginAsCustomerBar } from "../components/login-as-customer-bar"
import { orderCustomer } from "../components/order-customer"
import { useCurrentUserId } from "../hooks/use-current-user"

/**
 * The Login as Customer button and its status, at the top of the order page,
 * where Medusa handles fulfillments, returns, refunds and claims. The session
 * records the order it started from.
 */
const OrderLoginAsCustomerBar = ({ data }: DetailWidgetProps<AdminOrder>) => {
  const userId = useCurrentUserId()
  return <LoginAsCustomerBar {...orderCustomer(data)} orderId={data.id} currentUserId={userId} />
}

export const config = defineWidgetConfig({ zone: "order.details.before", id: "login-as-customer.order-bar" })

export default OrderLoginAsCustomerBar
