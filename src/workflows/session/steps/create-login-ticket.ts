import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { StartSessionInput, StartSessionResult } from "../../../modules/login-as-customer/service"

export const createLoginTicketStepId = "create-login-as-customer-ticket"

type Compensation = { session_id: string; superseded_ids: string[] }

/**
 * Opens a pending session with its one-time ticket (superseding the admin's
 * earlier session). Compensation voids the new ticket and session and puts
 * the superseded sessions back as they were (not ended): a start that fails
 * later (say, its log lines can't be written) leaves no session ended
 * without its `session_ended` line.
 */
export const createLoginTicketStep = createStep(
  createLoginTicketStepId,
  async (input: StartSessionInput, { container }) => {
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    const result: StartSessionResult = await service.startSession(input)
    return new StepResponse<StartSessionResult, Compensation>(result, {
      session_id: result.session.id,
      superseded_ids: result.superseded.map((session) => session.id),
    })
  },
  async (undo: Compensation | undefined, { container }) => {
    if (!undo?.session_id) {
      return
    }
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    const tickets = await service.listLoginAsCustomerTickets({ session_id: undo.session_id }, { select: ["id"] })
    await service.softDeleteLoginAsCustomerTickets(tickets.map((t) => t.id))
    await service.softDeleteLoginAsCustomerSessions([undo.session_id])
    if (undo.superseded_ids?.length) {
      await service.updateLoginAsCustomerSessions(
        undo.superseded_ids.map((id) => ({ id, ended_at: null, end_reason: null }))
      )
    }
  }
)
