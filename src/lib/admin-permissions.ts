import type { MedusaContainer } from "@medusajs/framework/types"
import { hasPermission } from "@medusajs/framework"
import { ContainerRegistrationKeys, FeatureFlag, Modules } from "@medusajs/framework/utils"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"
import type { SettingsDTO } from "../types"
import { adminPermissions, AdminPermissions, grantsApply } from "./policy"

export type { AdminPermissions } from "./policy"

/** RBAC policy "Allow Login as Customer". */
export const LOGIN_POLICY = { resource: "login_as_customer", operation: "allow" }
/** RBAC policy "View Login as Customer Log". */
export const VIEW_LOG_POLICY = { resource: "login_as_customer_log", operation: "read" }
/** RBAC policy "Manage Login as Customer settings" (settings and grants). */
export const MANAGE_POLICY = { resource: "login_as_customer_settings", operation: "update" }

type Grant = { can_login: boolean; can_view_log: boolean } | null | undefined

type AuthContextLike = {
  actor_id?: string
  actor_type?: string
  app_metadata?: Record<string, unknown> | null
}

export function isRbacEnabled(): boolean {
  return FeatureFlag.isFeatureEnabled("rbac")
}

/** What RBAC roles allow, read through Medusa's `hasPermission`; null for no roles. */
async function readRolePermissions(container: MedusaContainer, roles: unknown): Promise<AdminPermissions | null> {
  if (!Array.isArray(roles) || !roles.length) {
    return null
  }
  const [can_login, can_view_log, can_manage] = await Promise.all(
    [LOGIN_POLICY, VIEW_LOG_POLICY, MANAGE_POLICY].map((actions) =>
      hasPermission({ roles: roles as string[], actions, container })
    )
  )
  return { can_login, can_view_log, can_manage }
}

/** The admin's grant, read only when grants decide. */
async function readGrant(container: MedusaContainer, userId: string, settings: Pick<SettingsDTO, "access">, grant?: Grant) {
  if (grant !== undefined || !grantsApply({ rbac_enabled: isRbacEnabled(), access: settings.access })) {
    return grant ?? null
  }
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const [row] = await service.listLoginAsCustomerAdminGrants({ user_id: userId }, { take: 1 })
  return row ?? null
}

/**
 * What the admin making a request may do (see the `adminPermissions`
 * policy): the roles in the admin's token with RBAC on, the settings and
 * the admin's grant without it.
 */
export async function getAdminPermissions(
  container: MedusaContainer,
  authContext: AuthContextLike | undefined,
  settings: Pick<SettingsDTO, "access">
): Promise<AdminPermissions> {
  const isAdmin = !!authContext?.actor_id && authContext.actor_type === "user"
  const rbac = isRbacEnabled()
  return adminPermissions({
    is_admin: isAdmin,
    rbac_enabled: rbac,
    roles: isAdmin && rbac ? await readRolePermissions(container, authContext!.app_metadata?.roles) : null,
    access: settings.access,
    grant: isAdmin && !rbac ? await readGrant(container, authContext!.actor_id!, settings) : null,
  })
}

/**
 * What an admin may do now, read from the database rather than a token: used
 * mid-session, so an admin deleted or stripped of the permission loses it.
 */
export async function getCurrentUserPermissions(
  container: MedusaContainer,
  userId: string,
  settings: Pick<SettingsDTO, "access">,
  grant?: Grant
): Promise<AdminPermissions & { exists: boolean }> {
  const rbac = isRbacEnabled()
  let found: boolean
  let roles: AdminPermissions | null = null
  if (rbac) {
    const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
      entity: "user",
      fields: ["id", "rbac_roles.id"],
      filters: { id: userId },
    })
    found = !!data[0]
    const roleIds = ((data[0] as { rbac_roles?: Array<{ id: string }> } | undefined)?.rbac_roles ?? []).map((role) => role.id)
    roles = found ? await readRolePermissions(container, roleIds) : null
  } else {
    // The user module's answer: the plugin's module reads only its own tables.
    found = (await container.resolve(Modules.USER).listUsers({ id: userId }, { take: 1, select: ["id"] })).length > 0
  }
  const permissions = adminPermissions({
    is_admin: found,
    rbac_enabled: rbac,
    roles,
    access: settings.access,
    grant: found && !rbac ? await readGrant(container, userId, settings, grant) : null,
  })
  return { exists: found, ...permissions }
}
