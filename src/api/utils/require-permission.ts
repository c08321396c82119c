import type {
  AuthenticatedMedusaRequest,
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { getAdminPermissions } from "../../lib/admin-permissions"
import { canUseAdminRoute, Permission } from "../../lib/policy"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../modules/login-as-customer/service"

const MESSAGES: Record<Permission, string> = {
  can_login: "You are not allowed to log in as customers",
  can_view_log: "You are not allowed to view the Login as Customer log",
  can_manage: "You are not allowed to manage Login as Customer settings",
}

/**
 * Lets the request on when the admin holds any of the permissions
 * (`canUseAdminRoute`); otherwise 403 `permission_denied`. Runs before
 * Medusa's own RBAC policy check, so the refusal carries the plugin's error
 * code in both modes.
 */
export function requirePermission(...anyOf: Permission[]) {
  return async (req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) => {
    const request = req as AuthenticatedMedusaRequest
    const settings = await req.scope
      .resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
      .getSettings()
    const permissions = await getAdminPermissions(req.scope, request.auth_context, settings)
    const decision = canUseAdminRoute(permissions, anyOf)
    if (!decision.allowed) {
      return next(new MedusaError(MedusaError.Types.FORBIDDEN, MESSAGES[anyOf[0]], decision.code))
    }
    next()
  }
}

/**
 * A no-op for middleware entries that exist only to declare RBAC policies:
 * Medusa wraps an entry's middlewares with its policy check.
 */
export function policyCheckpoint(_req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  next()
}
