import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { useTranslation } from "react-i18next"
import { LoginAsCustomerPanel } from "../components/login-as-customer-panel"
import { orderCustomer, orderNote } from "../components/order-customer"
import { useCurrentUserId } from "../hooks/use-current-user"

/**
 * Login as Customer's details on the order page (side column): the note of
 * an order placed in a session, consent and sessions in progress. The button
 * is in the bar at the top of the page.
 */
const OrderLoginAsCustomerWidget = ({ data }: DetailWidgetProps<AdminOrder>) => {
  const { t } = useTranslation()
  const userId = useCurrentUserId()
  return <LoginAsCustomerPanel {...orderCustomer(data)} orderNote={orderNote(t, data)} currentUserId={userId} />
}

export const config = defineWidgetConfig({ zone: "order.details.side" })

export default OrderLoginAsCustomerWidget
