import type { MedusaContainer } from "@medusajs/framework/types"
import { hasPermission } from "@medusajs/framework"
import { FeatureFlag } from "@medusajs/framework/utils"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"
import type { SettingsDTO } from "../types"

/** RBAC policy "Allow Login as Customer". */
export const LOGIN_POLICY = { resource: "login_as_customer", operation: "allow" }
/** RBAC policy "View Login as Customer Log". */
export const VIEW_LOG_POLICY = { resource: "login_as_customer_log", operation: "read" }

export type AdminPermissions = { can_login: boolean; can_view_log: boolean }

type AuthContextLike = {
  actor_id?: string
  actor_type?: string
  app_metadata?: Record<string, unknown> | null
}

export function isRbacEnabled(): boolean {
  return FeatureFlag.isFeatureEnabled("rbac")
}

/**
 * What the acting admin may do. With Medusa's RBAC flag on, the admin's roles
 * decide; with it off, the settings' `access` does: every admin, or only those
 * with a grant. Anything else is a no.
 */
export async function getAdminPermissions(
  container: MedusaContainer,
  authContext: AuthContextLike | undefined,
  settings: Pick<SettingsDTO, "access">
): Promise<AdminPermissions> {
  const none = { can_login: false, can_view_log: false }
  if (!authContext?.actor_id || authContext.actor_type !== "user") {
    return none
  }
  if (isRbacEnabled()) {
    const roles = (authContext.app_metadata?.roles as string[] | undefined) ?? []
    if (!Array.isArray(roles) || !roles.length) {
      return none
    }
    const [can_login, can_view_log] = await Promise.all([
      hasPermission({ roles, actions: LOGIN_POLICY, container }),
      hasPermission({ roles, actions: VIEW_LOG_POLICY, container }),
    ])
    return { can_login, can_view_log }
  }
  if (settings.access === "all_admins") {
    return { can_login: true, can_view_log: true }
  }
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const [grant] = await service.listLoginAsCustomerAdminGrants({ user_id: authContext.actor_id }, { take: 1 })
  return {
    can_login: grant?.can_login === true,
    can_view_log: grant?.can_view_log === true,
  }
}
