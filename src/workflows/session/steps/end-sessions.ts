import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { EndSessionsFilter } from "../../../modules/login-as-customer/service"
import type { EndReason, SessionDTO } from "../../../types"

export const endSessionsStepId = "end-login-as-customer-sessions"

/**
 * Ends the open sessions matching the filter. Not compensated: an ended
 * session stays ended (its token is already refused).
 */
export const endSessionsStep = createStep(
  endSessionsStepId,
  async ({ filter, reason }: { filter: EndSessionsFilter; reason: EndReason }, { container }) => {
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    const ended: SessionDTO[] = await service.endSessions(filter, reason)
    return new StepResponse(ended)
  }
)
