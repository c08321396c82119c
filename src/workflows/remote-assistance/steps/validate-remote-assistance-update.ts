import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import { canChangeConsent, ConsentChangeCode } from "../../../lib/policy"
import type { UpdateRemoteAssistanceWorkflowInput } from "../workflows/update-remote-assistance"

export const validateRemoteAssistanceUpdateStepId = "validate-remote-assistance-update"

export const CONSENT_CHANGE_MESSAGES: Record<ConsentChangeCode, string> = {
  restricted_while_impersonating: "Consent to remote shopping assistance can only be changed by the customer",
  consent_by_customer_only: "Only the customer can allow remote shopping assistance; an admin may only withdraw it",
}

/** Checks that the customer exists and that the actor may make this change (`canChangeConsent`). */
export const validateRemoteAssistanceUpdateStep = createStep(
  validateRemoteAssistanceUpdateStepId,
  async (input: UpdateRemoteAssistanceWorkflowInput, { container }) => {
    const customers = await container
      .resolve(Modules.CUSTOMER)
      .listCustomers({ id: input.customer_id }, { take: 1, select: ["id"] })
    if (!customers.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `Customer with id: ${input.customer_id} was not found`,
        "customer_not_found"
      )
    }

    if (input.allowed && input.expires_at) {
      if (new Date(input.expires_at).getTime() <= Date.now()) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          "expires_at must be in the future",
          "invalid_data"
        )
      }
    }

    const settings = await container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE).getSettings()
    const decision = canChangeConsent({
      actor: input.actor_type,
      in_session: input.in_session === true,
      allowed: input.allowed,
      settings,
    })
    if (!decision.allowed) {
      throw new MedusaError(MedusaError.Types.FORBIDDEN, CONSENT_CHANGE_MESSAGES[decision.code], decision.code)
    }
    return new StepResponse(undefined)
  }
)
