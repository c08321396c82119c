import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminCustomer, DetailWidgetProps } from "@medusajs/framework/types"
import { LoginAsCustomerBar } from "../components/login-as-customer-bar"
import { useCurrentUserId } from "../hooks/use-current-user"

/** The Login as Customer button and its status, at the top of the customer page. */
const CustomerLoginAsCustomerBar = ({ data }: DetailWidgetProps<AdminCustomer>) => {
  const userId = useCurrentUserId()
  const name = [data.first_name, data.last_name].filter(Boolean).join(" ") || data.email
  return <LoginAsCustomerBar customerId={data.id} customerName={name} currentUserId={userId} />
}

export const config = defineWidgetConfig({ zone: "customer.details.before", id: "login-as-customer.customer-bar" })

export default CustomerLoginAsCustomerBar
