import { emitEventStep } from "@medusajs/medusa/core-flows"
import {
  createHook,
  createWorkflow,
  transform,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { LoginAsCustomerEvents, SessionDTO } from "../../../types"
import { toSessionEvent } from "../events"
import { exchangeTicketStep } from "../steps/exchange-ticket"
import { mintImpersonationTokenStep } from "../steps/mint-impersonation-token"
import { recordEventLogStep } from "../../log/steps/record-event-log"

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
 */
export const exchangeLoginTicketWorkflow = createWorkflow(
  exchangeLoginTicketWorkflowId,
  (input: WorkflowData<ExchangeLoginTicketWorkflowInput>) => {
    const session = exchangeTicketStep(input)
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
