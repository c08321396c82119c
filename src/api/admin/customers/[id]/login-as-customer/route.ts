import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { getStorefrontOrigins } from "../../../../../lib/get-storefront-origins"
import { canLoginAsCustomer, openSessionFilter } from "../../../../../lib/policy"
import { AdminPermissions, getAdminPermissions } from "../../../../../lib/admin-permissions"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../../modules/login-as-customer/service"
import type { RemoteAssistanceDTO } from "../../../../../types"
import { formatRemoteAssistance } from "../../../../utils/format"
import { formatAdminSessions } from "../../../../utils/sessions"
import { startLoginAsCustomerWorkflow } from "../../../../../workflows/session/workflows/start-login-as-customer"
import { recordLoginDenied } from "../../../../utils/login-denied"
import type { AdminStartLoginAsCustomerType } from "./validators"

/**
 * Everything the admin widget shows for one customer: consent, whether the
 * acting admin can log in as them (and if not, why), the storefronts (to
 * admins who may log in), and the sessions in progress (to admins who may log
 * in or view the log).
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)

  const {
    data: [customer],
  } = await query.graph({
    entity: "customer",
    fields: ["id", "has_account", "remote_assistance.*"],
    filters: { id: req.params.id },
  })
  if (!customer) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Customer with id: ${req.params.id} was not found`,
      "customer_not_found"
    )
  }

  const settings = await service.getSettings()
  const permissions = await getAdminPermissions(req.scope, req.auth_context, settings)
  const consent = (customer as { remote_assistance?: RemoteAssistanceDTO | null })
    .remote_assistance
  const now = new Date()
  const decision = canLoginAsCustomer({
    admin: { id: req.auth_context.actor_id, can_login: permissions.can_login },
    customer: { id: customer.id, has_account: customer.has_account === true },
    consent: consent ?? null,
    settings,
    allowed_origins: getStorefrontOrigins(req.scope).origins,
    now,
  })

  // Sessions in progress: for admins who may log in, and for those who may
  // view the log (which shows them too), so their card says who is helping.
  const activeSessions =
    permissions.can_login || permissions.can_view_log
      ? await service.listSessionsByIds(
          (
            await service.listLoginAsCustomerSessions(
              { customer_id: customer.id, ...openSessionFilter(now) },
              { select: ["id"], order: { created_at: "DESC" } }
            )
          ).map((session) => session.id)
        )
      : []

  res.json({
    remote_assistance: formatRemoteAssistance(consent, now),
    can_login: decision.allowed,
    reason: decision.allowed ? null : decision.code,
    permissions,
    consent_mode: settings.consent_mode,
    require_reason: settings.require_reason,
    store_selection: settings.store_selection,
    storefronts: permissions.can_login
      ? settings.storefronts.map(({ id, name, sales_channel_id }) => ({ id, name, sales_channel_id }))
      : [],
    // A row open again after its end was logged (with the key) is shown ended: not in progress.
    active_sessions: (await formatAdminSessions(req.scope, activeSessions)).filter((session) => !session.ended_at),
  })
}

/**
 * Starts Login as Customer: returns the storefront URL carrying a one-time
 * ticket. A refusal answers with its code and is logged as `login_denied`.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminStartLoginAsCustomerType>,
  res: MedusaResponse
) => {
  // Read by the middleware that refuses admins without the permission (denyLoginUnlessPermitted).
  const permissions =
    (req as typeof req & { login_as_customer_permissions?: AdminPermissions }).login_as_customer_permissions ??
    (await getAdminPermissions(
      req.scope,
      req.auth_context,
      await req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE).getSettings()
    ))
  try {
    const { result } = await startLoginAsCustomerWorkflow(req.scope).run({
      input: {
        ...req.validatedBody,
        // Last, so the body can't name another admin or customer.
        admin: { id: req.auth_context.actor_id, can_login: permissions.can_login },
        customer_id: req.params.id,
      },
    })
    res.status(201).json(result)
  } catch (error) {
    const e = error as MedusaError
    if (e?.code && e.type !== MedusaError.Types.DB_ERROR) {
      await recordLoginDenied(req, e)
    }
    throw error
  }
}
