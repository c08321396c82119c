import type {
  AuthenticatedMedusaRequest,
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { generateEntityId, MedusaError } from "@medusajs/framework/utils"
import { AdminPermissions, getAdminPermissions } from "../../lib/admin-permissions"
import { canRequestLogin } from "../../lib/policy"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../modules/login-as-customer/service"
import { denialError } from "../../lib/denial-error"
import { recordLoginDeniedWorkflow } from "../../workflows/session/workflows/record-login-denied"

type StartBody = { storefront_id?: string | null; order_id?: string | null; reason?: string | null; mode?: "full" | "read_only" }

/** Logs a refused Login as Customer request as `login_denied`. */
export async function recordLoginDenied(req: AuthenticatedMedusaRequest<StartBody>, error: MedusaError) {
  const body = (req.validatedBody ?? {}) as StartBody
  await recordLoginDeniedWorkflow(req.scope).run({
    input: {
      event_id: generateEntityId(undefined, "lacev"),
      user_id: req.auth_context.actor_id,
      customer_id: req.params.id,
      code: error.code ?? error.type,
      message: error.message,
      storefront_id: body.storefront_id ?? null,
      order_id: body.order_id ?? null,
      reason: body.reason ?? null,
      mode: body.mode ?? null,
    },
  })
}

/**
 * Refuses (and logs) a start request the `canRequestLogin` policy refuses
 * (feature off, or no "Allow Login as Customer") before Medusa's own RBAC check would refuse it without a trace.
 */
export async function denyLoginUnlessPermitted(
  req: MedusaRequest,
  _res: MedusaResponse,
  next: MedusaNextFunction
) {
  const request = req as AuthenticatedMedusaRequest<StartBody>
  const settings = await req.scope
    .resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    .getSettings()
  const permissions = await getAdminPermissions(req.scope, request.auth_context, settings)
  // The route needs them too: read once per request.
  ;(request as AuthenticatedMedusaRequest<StartBody> & { login_as_customer_permissions?: AdminPermissions }).login_as_customer_permissions =
    permissions
  const decision = canRequestLogin({ settings, admin: permissions })
  if (!decision.allowed) {
    const error = denialError(decision.code)
    await recordLoginDenied(request, error)
    return next(error)
  }
  next()
}
