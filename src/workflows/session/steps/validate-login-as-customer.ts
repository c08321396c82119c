import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { denialError } from "../../../lib/denial-error"
import { canLoginAsCustomer } from "../../../lib/policy"
import type { StorefrontDTO } from "../../../types"
import type { StartLoginAsCustomerWorkflowInput } from "../workflows/start-login-as-customer"
import type { LoginContext } from "./resolve-login-context"

export const validateLoginAsCustomerStepId = "validate-login-as-customer"

// Re-exported where they were first published.
export { DENIAL_MESSAGES, denialError } from "../../../lib/denial-error"

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
