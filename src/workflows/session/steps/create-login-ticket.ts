import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { StartSessionInput, StartSessionResult } from "../../../modules/login-as-customer/service"

export const createLoginTicketStepId = "create-login-as-customer-ticket"

/**
 * Opens a pending session with its one-time ticket (superseding the admin's
 * earlier session). Compensation voids the new ticket and session.
 */
export const createLoginTicketStep = createStep(
  createLoginTicketStepId,
  async (input: StartSessionInput, { container }) => {
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    const result: StartSessionResult = await service.startSession(input)
    return new StepResponse(result, result.session.id)
  },
  async (sessionId: string | undefined, { container }) => {
    if (!sessionId) {
      return
    }
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    const tickets = await service.listLoginAsCustomerTickets({ session_id: sessionId }, { select: ["id"] })
    await service.softDeleteLoginAsCustomerTickets(tickets.map((t) => t.id))
    await service.softDeleteLoginAsCustomerSessions([sessionId])
  }
)
