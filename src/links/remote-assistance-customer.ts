import { defineLink } from "@medusajs/framework/utils"
import CustomerModule from "@medusajs/medusa/customer"
import LoginAsCustomerModule from "../modules/login-as-customer"

/**
 * Customer -> consent, so `query.graph({ entity: "customer",
 * fields: ["remote_assistance.*"] })` returns a customer's consent.
 *
 * A read-only link: the consent row already holds `customer_id`, so a link
 * table would only be a second copy of that fact to keep in sync.
 */
export default defineLink(
  { linkable: CustomerModule.linkable.customer, field: "id" },
  {
    ...LoginAsCustomerModule.linkable.remoteAssistance.id,
    primaryKey: "customer_id",
  },
  { readOnly: true }
)
