import { AssistTicketLogin } from "medusa-plugin-login-as-customer-storefront/next"
import { exchangeTicket } from "@lib/assist"

// The storefront's login_url in the plugin's settings: https://shop.example.com/assist
export default function AssistPage() {
  return <AssistTicketLogin exchange={exchangeTicket} redirectTo="/account" />
}
