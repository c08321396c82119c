import type { MedusaContainer } from "@medusajs/framework/types"
import { hasPermission } from "@medusajs/framework"
import { ContainerRegistrationKeys, FeatureFlag, Modules } from "@medusajs/framework/utils"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"
import type { SettingsDTO } from "../types"

/** RBAC policy "Allow Login as Customer". */
export const LOGIN_POLICY = { resource: "login_as_customer", operation: "allow" }
/** RBAC policy "View Login as Customer Log". */
export const VIEW_LOG_POLICY = { resource: "login_as_customer_log", operation: "read" }
/** RBAC policy "Manage Login as Customer settings" (settings and grants). */
export const MANAGE_POLICY = { resource: "login_as_customer_settings", operation: "update" }

export type AdminPermissions = { can_login: boolean; can_view_log: boolean; can_manage: boolean }
type Grant = { can_login: boolean; can_view_log: boolean } | null | undefined

type AuthContextLike = {
  actor_id?: string
  actor_type?: string
  app_metadata?: Record<string, unknown> | null
}

const NONE: AdminPermissions = { can_login: false, can_view_log: false, can_manage: false }

export function isRbacEnabled(): boolean {
  return FeatureFlag.isFeatureEnabled("rbac")
}

async function fromRoles(container: MedusaContainer, roles: unknown): Promise<AdminPermissions> {
  if (!Array.isArray(roles) || !roles.length) {
    return NONE
  }
  const [can_login, can_view_log, can_manage] = await Promise.all([
    hasPermission({ roles: roles as string[], actions: LOGIN_POLICY, container }),
    hasPermission({ roles: roles as string[], actions: VIEW_LOG_POLICY, container }),
    hasPermission({ roles: roles as string[], actions: MANAGE_POLICY, container }),
  ])
  return { can_login, can_view_log, can_manage }
}

async function fromSettings(
  container: MedusaContainer,
  userId: string,
  settings: Pick<SettingsDTO, "access">,
  grant?: Grant
): Promise<AdminPermissions> {
  // Without RBAC every Medusa admin may manage every setting; so these too.
  if (settings.access === "all_admins") {
    return { can_login: true, can_view_log: true, can_manage: true }
  }
  if (grant === undefined) {
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    ;[grant] = await service.listLoginAsCustomerAdminGrants({ user_id: userId }, { take: 1 })
  }
  return {
    can_login: grant?.can_login === true,
    can_view_log: grant?.can_view_log === true,
    can_manage: true,
  }
}

/**
 * What the admin making a request may do. With Medusa's RBAC flag on, the
 * roles in the admin's token decide (as for Medusa's own routes); with it off,
 * the settings' `access` does: every admin, or only those with a grant.
 * Anything else is a no.
 */
export async function getAdminPermissions(
  container: MedusaContainer,
  authContext: AuthContextLike | undefined,
  settings: Pick<SettingsDTO, "access">
): Promise<AdminPermissions> {
  if (!authContext?.actor_id || authContext.actor_type !== "user") {
    return NONE
  }
  if (isRbacEnabled()) {
    return fromRoles(container, authContext.app_metadata?.roles)
  }
  return fromSettings(container, authContext.actor_id, settings)
}

/**
 * What an admin may do now, read from the database rather than a token: used
 * mid-session, so an admin deleted or stripped of the permission loses it.
 */
export async function getCurrentUserPermissions(
  container: MedusaContainer,
  userId: string,
  settings: Pick<SettingsDTO, "access">,
  grant?: Grant,
  /** Whether the user exists, when already read (see getSessionState). */
  exists?: boolean | null
): Promise<AdminPermissions & { exists: boolean }> {
  if (isRbacEnabled()) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "user",
      fields: ["id", "rbac_roles.id"],
      filters: { id: userId },
    })
    if (!data[0]) {
      return { exists: false, ...NONE }
    }
    const roles = ((data[0] as { rbac_roles?: Array<{ id: string }> }).rbac_roles ?? []).map(
      (role) => role.id
    )
    return { exists: true, ...(await fromRoles(container, roles)) }
  }
  const found =
    typeof exists === "boolean"
      ? exists
      : (await container.resolve(Modules.USER).listUsers({ id: userId }, { take: 1, select: ["id"] })).length > 0
  if (!found) {
    return { exists: false, ...NONE }
  }
  return { exists: true, ...(await fromSettings(container, userId, settings, grant)) }
}
