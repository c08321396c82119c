import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { getStorefrontOrigins } from "../../../../lib/get-storefront-origins"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../modules/login-as-customer/service"
import { updateSettingsWorkflow } from "../../../../workflows/settings/workflows/update-settings"
import type { AdminUpdateSettingsType } from "../validators"

/**
 * The Login as Customer settings in force, and the storefront origins a
 * storefront's login URL may point at (fixed at deploy time, not a setting).
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  res.json({
    settings: await service.getSettings(),
    allowed_storefront_origins: getStorefrontOrigins(req.scope).origins,
  })
}

/** Saves any subset of the settings (logged as `settings_updated`). */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminUpdateSettingsType>,
  res: MedusaResponse
) => {
  const { result } = await updateSettingsWorkflow(req.scope).run({
    input: { update: req.validatedBody, actor_id: req.auth_context.actor_id },
  })
  res.json({ settings: result, allowed_storefront_origins: getStorefrontOrigins(req.scope).origins })
}
