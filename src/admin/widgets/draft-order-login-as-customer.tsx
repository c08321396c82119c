import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminDraftOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { LoginAsCustomerPanel } from "../components/login-as-customer-panel"
import { orderCustomer } from "../components/order-customer"
import { useCurrentUserId } from "../hooks/use-current-user"

/** Login as Customer's details on the draft order page (side column): consent and sessions in progress. */
const DraftOrderLoginAsCustomerWidget = ({ data }: DetailWidgetProps<AdminDraftOrder>) => {
  const userId = useCurrentUserId()
  return <LoginAsCustomerPanel {...orderCustomer(data)} currentUserId={userId} />
}

export const config = defineWidgetConfig({ zone: "draft_order.details.side" })

export default DraftOrderLoginAsCustomerWidget
