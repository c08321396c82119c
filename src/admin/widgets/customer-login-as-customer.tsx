import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminCustomer, DetailWidgetProps } from "@medusajs/framework/types"
import { LoginAsCustomerPanel } from "../components/login-as-customer-panel"
import { useCurrentUserId } from "../hooks/use-current-user"

/**
 * Login as Customer's details on the customer page (side column): consent,
 * sessions in progress, and a link to the customer's lines in the log.
 */
const CustomerLoginAsCustomerWidget = ({ data }: DetailWidgetProps<AdminCustomer>) => {
  const userId = useCurrentUserId()
  const name = [data.first_name, data.last_name].filter(Boolean).join(" ") || data.email
  return <LoginAsCustomerPanel customerId={data.id} customerName={name} currentUserId={userId} logLink />
}

export const config = defineWidgetConfig({ zone: "customer.details.side" })

export default CustomerLoginAsCustomerWidget
