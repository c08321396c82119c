import { definePolicies } from "@medusajs/framework/utils"
import { LOGIN_POLICY, MANAGE_POLICY, VIEW_LOG_POLICY } from "../lib/admin-permissions"

/**
 * The plugin's permissions as RBAC policies (used when Medusa's RBAC feature
 * flag is on). With the flag off, the settings' `access` and per-admin grants
 * decide instead.
 */
export default definePolicies([
  {
    name: "AllowLoginAsCustomer",
    ...LOGIN_POLICY,
    description: "Allow Login as Customer",
  },
  {
    name: "ViewLoginAsCustomerLog",
    ...VIEW_LOG_POLICY,
    description: "View Login as Customer Log",
  },
  {
    name: "ManageLoginAsCustomerSettings",
    ...MANAGE_POLICY,
    description: "Manage Login as Customer settings and grants",
  },
])
