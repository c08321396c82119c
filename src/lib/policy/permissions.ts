import type { SettingsDTO } from "../../types"
import { deny } from "./decision"

export type AdminPermissions = { can_login: boolean; can_view_log: boolean; can_manage: boolean }
export type Permission = keyof AdminPermissions

export const NO_PERMISSIONS: AdminPermissions = Object.freeze({ can_login: false, can_view_log: false, can_manage: false })

/** Whether per-admin grants decide who may log in and view the log: without RBAC, with access `selected_admins`. */
export function grantsApply({ rbac_enabled, access }: { rbac_enabled: boolean; access: SettingsDTO["access"] }): boolean {
  return !rbac_enabled && access === "selected_admins"
}

export type AdminPermissionFacts = {
  /** The actor is an admin user that exists. */
  is_admin: boolean
  rbac_enabled: boolean
  /** What the admin's RBAC roles allow (read only with RBAC on); null when unknown. */
  roles: AdminPermissions | null
  access: SettingsDTO["access"]
  /** The admin's grant (read only when grants apply); null when none. */
  grant: { can_login: boolean; can_view_log: boolean } | null
}

/**
 * What an admin may do. Pure, deny by default: with Medusa's RBAC flag on,
 * the roles decide (as for Medusa's own routes); without it, the settings'
 * `access` does: every admin, or only those with a grant (every admin may
 * manage the settings without RBAC, as every setting of Medusa).
 */
export function adminPermissions(facts: AdminPermissionFacts): AdminPermissions {
  if (facts.is_admin !== true) {
    return NO_PERMISSIONS
  }
  if (facts.rbac_enabled) {
    return facts.roles ? { ...NO_PERMISSIONS, ...facts.roles } : NO_PERMISSIONS
  }
  if (facts.access === "all_admins") {
    return { can_login: true, can_view_log: true, can_manage: true }
  }
  if (grantsApply(facts)) {
    return { can_login: facts.grant?.can_login === true, can_view_log: facts.grant?.can_view_log === true, can_manage: true }
  }
  return NO_PERMISSIONS
}

/** Whether an admin holding `permissions` may use a route that needs any of `anyOf`. */
export function canUseAdminRoute(permissions: AdminPermissions, anyOf: readonly Permission[]) {
  return anyOf.some((permission) => permissions[permission] === true) ? ({ allowed: true } as const) : deny("permission_denied")
}
