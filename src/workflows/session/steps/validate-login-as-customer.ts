import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { canLoginAsCustomer } from "../../../lib/policy"
import type { DenialCode, StorefrontDTO } from "../../../types"
import type { StartLoginAsCustomerWorkflowInput } from "../workflows/start-login-as-customer"
import type { LoginContext } from "./resolve-login-context"

export const validateLoginAsCustomerStepId = "validate-login-as-customer"

const ERROR_TYPES: Record<DenialCode, string> = {
  feature_disabled: MedusaError.Types.FORBIDDEN,
  permission_denied: MedusaError.Types.FORBIDDEN,
  customer_not_found: MedusaError.Types.NOT_FOUND,
  customer_has_no_account: MedusaError.Types.NOT_ALLOWED,
  assistance_not_allowed: MedusaError.Types.FORBIDDEN,
  assistance_expired: MedusaError.Types.FORBIDDEN,
  storefront_required: MedusaError.Types.INVALID_DATA,
  storefront_not_found: MedusaError.Types.INVALID_DATA,
  storefront_origin_not_allowed: MedusaError.Types.FORBIDDEN,
  reason_required: MedusaError.Types.INVALID_DATA,
}

export const DENIAL_MESSAGES: Record<DenialCode, string> = {
  feature_disabled: "Login as Customer is disabled in the settings",
  permission_denied: "You are not allowed to log in as customers",
  customer_not_found: "Customer not found",
  customer_has_no_account: "This customer has no account to log in to (guest customer)",
  assistance_not_allowed: "The customer has not allowed remote shopping assistance",
  assistance_expired: "The customer's consent to remote shopping assistance has expired",
  storefront_required: "Choose the storefront to log in to",
  storefront_not_found: "No such storefront is configured for Login as Customer",
  storefront_origin_not_allowed:
    "This storefront's login URL is not at an allowed storefront origin (storefront_origins in the plugin options): no ticket is sent there",
  reason_required: "A reason (e.g. a ticket reference) is required to log in as a customer",
}

/** The denial as an HTTP error with its code. */
export function denialError(code: DenialCode): MedusaError {
  return new MedusaError(ERROR_TYPES[code], DENIAL_MESSAGES[code], code)
}

/** Asks `canLoginAsCustomer` and stops the workflow with its code on a denial. */
export const validateLoginAsCustomerStep = createStep(
  validateLoginAsCustomerStepId,
  async (
    { input, context }: { input: StartLoginAsCustomerWorkflowInput; context: LoginContext },
    { container: _container }
  ) => {
    const decision = canLoginAsCustomer({
      admin: input.admin,
      customer: context.customer,
      consent: context.consent,
      settings: context.settings,
      storefront: {
        id: input.storefront_id ?? null,
        sales_channel_id: context.order?.sales_channel_id ?? null,
      },
      reason: input.reason ?? null,
      allowed_origins: context.allowed_origins,
      now: new Date(),
    })
    if (!decision.allowed) {
      throw denialError(decision.code)
    }
    return new StepResponse(decision.storefront as StorefrontDTO)
  }
)
