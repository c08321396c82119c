import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminDraftOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { LoginAsCustomerPanel } from "../components/login-as-customer-panel"
import { useCurrentUserId } from "../hooks/use-current-user"

/** Login as Customer on the draft order page. */
const DraftOrderLoginAsCustomerWidget = ({ data }: DetailWidgetProps<AdminDraftOrder>) => {
  const userId = useCurrentUserId()
  const customer = data.customer
  const name =
    [customer?.first_name, customer?.last_name].filter(Boolean).join(" ") || customer?.email || data.email || ""
  const hasAccount = !!data.customer_id && customer?.has_account !== false
  return (
    <LoginAsCustomerPanel
      customerId={hasAccount ? data.customer_id ?? null : null}
      customerName={name}
      currentUserId={userId}
    />
  )
}

export const config = defineWidgetConfig({ zone: "draft_order.details.side" })

export default DraftOrderLoginAsCustomerWidget
