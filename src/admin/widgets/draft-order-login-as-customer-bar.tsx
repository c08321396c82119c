import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminDraftOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { LoginAsCustomerBar } from "../components/login-as-customer-bar"
import { orderCustomer } from "../components/order-customer"
import { useCurrentUserId } from "../hooks/use-current-user"

/** The Login as Customer button and its status, at the top of the draft order page. */
const DraftOrderLoginAsCustomerBar = ({ data }: DetailWidgetProps<AdminDraftOrder>) => {
  const userId = useCurrentUserId()
  return <LoginAsCustomerBar {...orderCustomer(data)} currentUserId={userId} />
}

export const config = defineWidgetConfig({ zone: "draft_order.details.before", id: "login-as-customer.draft-order-bar" })

export default DraftOrderLoginAsCustomerBar
