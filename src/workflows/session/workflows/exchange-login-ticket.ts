import { emitEventStep } from "@medusajs/medusa/core-flows"
import {
  createHook,
  createWorkflow,
  transform,
  when,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { LoginAsCustomerEvents, SessionDTO } from "../../../types"
import { toSessionEvent } from "../events"
import { checkSessionAsIssuedStep } from "../steps/check-session-as-issued"
import { decideTicketExchangeStep, exchangeTicketStep } from "../steps/exchange-ticket"
import { mintImpersonationTokenStep } from "../steps/mint-impersonation-token"
import { recordEventLogStep } from "../../log/steps/record-event-log"
import { refuseLoginTicketWorkflow } from "./refuse-login-ticket"

export type ExchangeLoginTicketWorkflowInput = {
  ticket: string
  /** The sales channels of the storefront's publishable key (see exchangeTicketStep). */
  sales_channel_ids?: string[] | null
}
export type ExchangeLoginTicketWorkflowOutput = { token: string; session: SessionDTO }

export const exchangeLoginTicketWorkflowId = "exchange-login-as-customer-ticket"

/**
 * The storefront trades a one-time ticket for a customer token marked with
 * the acting admin. Emits `login_as_customer.session_started`; the
 * `loginAsCustomerSessionStarted` hook runs after it.
 *
 * A refused exchange ends what it ends before the workflow fails with the
 * refusal, whoever runs it (the store route or a host app): the one-time
 * ticket is burnt and a session that may no longer start is ended, logged
 * and `login_as_customer.session_ended` emitted (refuseLoginTicketWorkflow).
 * None of that is compensated when the refusal is thrown: a refused ticket
 * stays burnt and an ended session stays ended.
 */
export const exchangeLoginTicketWorkflow = createWorkflow(
  exchangeLoginTicketWorkflowId,
  (input: WorkflowData<ExchangeLoginTicketWorkflowInput>) => {
    const decision = decideTicketExchangeStep(input)
    when("ticket-exchange-refused", { decision }, ({ decision }) => !!decision.refusal).then(() => {
      refuseLoginTicketWorkflow.runAsStep({
        input: transform({ input, decision }, ({ input, decision }) => ({
          ticket: input.ticket,
          burn: decision.refusal!.burn,
          session_id: decision.refusal!.session_id,
          end_reason: decision.refusal!.end_reason,
        })),
      })
    })
    const session = exchangeTicketStep(
      transform({ input, decision }, ({ input, decision }) => ({ ...input, decision }))
    )
    checkSessionAsIssuedStep(session)
    const token = mintImpersonationTokenStep(session)
    const event = transform({ session }, ({ session }) => toSessionEvent("session_started", session))
    recordEventLogStep({ eventName: LoginAsCustomerEvents.SESSION_STARTED, data: event })
    emitEventStep({ eventName: LoginAsCustomerEvents.SESSION_STARTED, data: event })
    const loginAsCustomerSessionStarted = createHook("loginAsCustomerSessionStarted", { session })
    const response = transform(
      { token, session },
      ({ token, session }): ExchangeLoginTicketWorkflowOutput => ({ token, session })
    )
    return new WorkflowResponse(response, { hooks: [loginAsCustomerSessionStarted] })
  }
)
