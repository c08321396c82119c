import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { canExchangeTicket, ExchangeRefusal } from "../../../lib/policy"
import { readSessionFacts } from "../../../lib/session-facts"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { SessionDTO } from "../../../types"
import { denialError } from "../../../lib/denial-error"

export const exchangeTicketStepId = "exchange-login-as-customer-ticket"

export const invalidTicketError = () =>
  new MedusaError(
    MedusaError.Types.UNAUTHORIZED,
    "This login link is invalid, was already used or has expired",
    "invalid_ticket"
  )

export const wrongStorefrontError = () =>
  new MedusaError(
    MedusaError.Types.FORBIDDEN,
    "This login link was issued for another storefront",
    "wrong_storefront"
  )

export type ExchangeTicketStepInput = {
  ticket: string
  /**
   * The sales channels of the publishable key the storefront sent. A ticket
   * issued for a storefront tied to a sales channel is only good there.
   */
  sales_channel_ids?: string[] | null
}

/** A refused exchange as the error the storefront gets, carrying what the refusal ends (see refuseLoginTicketWorkflow). */
export type TicketRefusalError = MedusaError & { ticket_refusal: ExchangeRefusal & { session_id: string | null } }

function ticketRefusalError(refusal: ExchangeRefusal, sessionId: string | null): TicketRefusalError {
  const error =
    refusal.code === "invalid_ticket"
      ? invalidTicketError()
      : refusal.code === "wrong_storefront"
        ? wrongStorefrontError()
        : denialError(refusal.code)
  return Object.assign(error, { ticket_refusal: { ...refusal, session_id: sessionId } })
}

/** What an exchange of a ticket may do: the refusal with what it ends, or null when it may go ahead. */
export type TicketExchangeDecision = {
  refusal: (ExchangeRefusal & { session_id: string | null }) | null
  session_id: string | null
  session_ttl_seconds: number | null
}

/** Reads the ticket and its session's facts, and asks `canExchangeTicket`. */
export async function decideTicketExchange(
  container: MedusaContainer,
  { ticket, sales_channel_ids }: ExchangeTicketStepInput
): Promise<TicketExchangeDecision> {
  const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const [found] = await service.listLoginAsCustomerTickets(
    { token_hash: await service.hashLoginTicket(ticket), consumed_at: null, expires_at: { $gt: new Date() } },
    { take: 1 }
  )
  // A ticket row made to point at another session is no ticket for it.
  const row = found && (await service.loginTicketIsFor(ticket, found.session_id)) ? found : undefined
  const { state, standing } = await readSessionFacts(container, row?.session_id)
  const decision = canExchangeTicket({
    ...standing,
    ticket: row ?? null,
    // A session whose end is logged is over, whatever its row was put back to.
    session: state && !state.end_logged ? state.session : null,
    storefronts: state?.settings.storefronts ?? [],
    sales_channel_ids,
  })
  const session_id = row?.session_id ?? null
  return {
    refusal: decision.allowed ? null : { ...decision, session_id },
    session_id,
    session_ttl_seconds: state?.settings.session_ttl_seconds ?? null,
  }
}

export const decideTicketExchangeStepId = "decide-login-as-customer-ticket-exchange"

/**
 * Decides an exchange (`decideTicketExchange`). Changes nothing: the workflow
 * acts on a refusal (refuseLoginTicketWorkflow), then exchangeTicketStep throws it.
 */
export const decideTicketExchangeStep = createStep(
  decideTicketExchangeStepId,
  async (input: ExchangeTicketStepInput, { container }) => new StepResponse(await decideTicketExchange(container, input))
)

/**
 * Consumes the ticket and starts its session, when `canExchangeTicket` allows
 * it (consent may have been withdrawn since the admin clicked). Given the
 * workflow's decision (decideTicketExchangeStep), it throws the refusal the
 * workflow has already acted on; without one it decides itself, and a
 * refusal thrown then changes nothing.
 */
export const exchangeTicketStep = createStep(
  exchangeTicketStepId,
  async (input: ExchangeTicketStepInput & { decision?: TicketExchangeDecision }, { container }) => {
    const decision = input.decision ?? (await decideTicketExchange(container, input))
    if (decision.refusal) {
      throw ticketRefusalError(decision.refusal, decision.refusal.session_id)
    }
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    const [pending] = await service.listLoginAsCustomerSessions({ id: decision.session_id! }, { select: ["id", "expires_at"], take: 1 })
    // The atomic part: of concurrent exchanges of one ticket, one gets a row.
    const session: SessionDTO | null = await service.exchangeTicket(input.ticket, decision.session_ttl_seconds!)
    if (!session) {
      throw invalidTicketError()
    }
    return new StepResponse(session, { id: session.id, expires_at: pending?.expires_at ?? new Date() })
  },
  async (pending: { id: string; expires_at: Date | string } | undefined, { container }) => {
    if (!pending) {
      return
    }
    // The token was never handed out: the session did not start. It goes back
    // to pending until its ticket's time runs out (the ticket stays used).
    await container
      .resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
      .updateLoginAsCustomerSessions({ id: pending.id, started_at: null, expires_at: new Date(pending.expires_at) })
  }
)
