import { generateEntityId } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { RemoteAssistanceDTO } from "../../../types"
import type { UpdateRemoteAssistanceWorkflowInput } from "../workflows/update-remote-assistance"

export const setRemoteAssistanceStepId = "set-remote-assistance"

type Compensation = { created_id: string | null; previous: RemoteAssistanceDTO | null }

/** Writes the customer's consent; compensation puts the previous record back. */
export const setRemoteAssistanceStep = createStep(
  setRemoteAssistanceStepId,
  async (input: UpdateRemoteAssistanceWorkflowInput, { container }) => {
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    const { previous, current } = await service.setRemoteAssistance({
      customer_id: input.customer_id,
      allowed: input.allowed,
      expires_at: input.expires_at ? new Date(input.expires_at) : null,
      updated_by_type: input.actor_type,
      updated_by_id: input.actor_id,
    })
    return new StepResponse(
      { previous, current, event_id: generateEntityId(undefined, "lacev") },
      { created_id: previous ? null : current.id, previous } as Compensation
    )
  },
  async (compensation: Compensation | undefined, { container }) => {
    if (!compensation) {
      return
    }
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    if (compensation.created_id) {
      await service.deleteRemoteAssistances(compensation.created_id)
      return
    }
    const previous = compensation.previous
    if (previous) {
      await service.updateRemoteAssistances({
        id: previous.id,
        allowed: previous.allowed,
        expires_at: previous.expires_at ? new Date(previous.expires_at) : null,
        updated_by_type: previous.updated_by_type,
        updated_by_id: previous.updated_by_id,
      })
    }
  }
)
