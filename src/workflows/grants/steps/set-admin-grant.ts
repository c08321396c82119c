import { generateEntityId, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { isRbacEnabled } from "../../../lib/admin-permissions"
import { grantsApply } from "../../../lib/policy"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { AdminGrantDTO } from "../../../types"
import type { UpdateAdminGrantWorkflowInput } from "../workflows/update-admin-grant"

export const setAdminGrantStepId = "set-login-as-customer-admin-grant"

/** Writes an admin's grant; compensation puts the previous one back. */
export const setAdminGrantStep = createStep(
  setAdminGrantStepId,
  async (input: UpdateAdminGrantWorkflowInput, { container }) => {
    const users = await container
      .resolve(Modules.USER)
      .listUsers({ id: input.user_id }, { take: 1, select: ["id"] })
    if (!users.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `User with id: ${input.user_id} was not found`,
        "user_not_found"
      )
    }
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    const { previous, current } = await service.setAdminGrant({
      user_id: input.user_id,
      can_login: input.can_login,
      can_view_log: input.can_view_log,
    })
    const applies = grantsApply({ rbac_enabled: isRbacEnabled(), access: (await service.getSettings()).access })
    return new StepResponse(
      { previous, current, applies, event_id: generateEntityId(undefined, "lacev") },
      { previous, created_id: previous ? null : current.id }
    )
  },
  async (
    compensation: { previous: AdminGrantDTO | null; created_id: string | null } | undefined,
    { container }
  ) => {
    if (!compensation) {
      return
    }
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    if (compensation.created_id) {
      await service.deleteLoginAsCustomerAdminGrants(compensation.created_id)
    } else if (compensation.previous) {
      await service.updateLoginAsCustomerAdminGrants({
        id: compensation.previous.id,
        can_login: compensation.previous.can_login,
        can_view_log: compensation.previous.can_view_log,
      })
    }
  }
)
