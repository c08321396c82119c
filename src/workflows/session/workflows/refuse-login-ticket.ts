import { createWorkflow, transform, when, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { EndReason } from "../../../types"
import { burnTicketStep } from "../steps/burn-ticket"
import { endLoginAsCustomerSessionsWorkflow } from "./end-login-as-customer-sessions"

export type RefuseLoginTicketWorkflowInput = {
  ticket: string
  /** Burn the ticket (every refusal of a ticket that exists). */
  burn: boolean
  session_id: string | null
  /** End the session with this reason (a session that may no longer start). */
  end_reason: EndReason | null
}

export const refuseLoginTicketWorkflowId = "refuse-login-as-customer-ticket"

/**
 * What a refused ticket exchange ends (see `canExchangeTicket`): the ticket is
 * burnt, and a session that may no longer start is ended with its reason
 * (logged and emitted as `login_as_customer.session_ended`). The exchange
 * workflow runs it as a step before it fails with the refusal; nothing here
 * is compensated.
 */
export const refuseLoginTicketWorkflow = createWorkflow(
  refuseLoginTicketWorkflowId,
  (input: WorkflowData<RefuseLoginTicketWorkflowInput>) => {
    when("ticket-refused-ends-session", { input }, ({ input }) => !!input.end_reason && !!input.session_id).then(() => {
      endLoginAsCustomerSessionsWorkflow.runAsStep({
        input: transform({ input }, ({ input }) => ({
          filter: { id: input.session_id! },
          reason: input.end_reason!,
        })),
      })
    })
    when("ticket-refused-burns-ticket", { input }, ({ input }) => input.burn).then(() => {
      burnTicketStep({ ticket: input.ticket })
    })
    return new WorkflowResponse(input)
  }
)
