import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { verifyImpersonation } from "../../../lib/verify-impersonation"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import { hashTicket } from "../../../modules/login-as-customer/service"
import type { EndReason, SessionDTO } from "../../../types"
import { endLoginAsCustomerSessionsWorkflow } from "../workflows/end-login-as-customer-sessions"
import { denialError } from "./validate-login-as-customer"

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

const DENIAL_FOR_END_REASON: Partial<Record<EndReason, Parameters<typeof denialError>[0]>> = {
  consent_withdrawn: "assistance_not_allowed",
  feature_disabled: "feature_disabled",
  admin_revoked: "permission_denied",
}

/**
 * Consumes the ticket and starts its session. The rules are checked again
 * first (consent may have been withdrawn since the admin clicked); a session
 * that may no longer start is ended with its reason and the ticket burnt.
 */
export const exchangeTicketStep = createStep(
  exchangeTicketStepId,
  async ({ ticket, sales_channel_ids }: ExchangeTicketStepInput, { container }) => {
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    const [row] = await service.listLoginAsCustomerTickets(
      { token_hash: hashTicket(ticket), consumed_at: null, expires_at: { $gt: new Date() } },
      { take: 1 }
    )
    if (!row) {
      throw invalidTicketError()
    }

    const { result, state } = await verifyImpersonation(container, {
      claim: { session_id: row.session_id, user_id: row.user_id },
      actor_id: row.customer_id,
      starting: true,
    })
    if (!result.ok || !state) {
      let endReason = result.ok ? null : result.end_reason
      if (!endReason && state?.session.ended_at && state.session.end_reason) {
        // Already ended (e.g. consent withdrawn since the admin clicked): say why.
        endReason = state.session.end_reason
      } else if (endReason) {
        await endLoginAsCustomerSessionsWorkflow(container).run({
          input: { filter: { id: row.session_id }, reason: endReason },
        })
      }
      await service.burnTicket(ticket)
      const denial = endReason ? DENIAL_FOR_END_REASON[endReason] : undefined
      throw denial ? denialError(denial) : invalidTicketError()
    }

    // A ticket for another storefront is burnt: it has left the place it was sent to.
    const storefront = state.settings.storefronts.find((s) => s.id === state.session.storefront_id)
    if (storefront?.sales_channel_id && sales_channel_ids && !sales_channel_ids.includes(storefront.sales_channel_id)) {
      await service.burnTicket(ticket)
      throw wrongStorefrontError()
    }

    // The atomic part: of concurrent exchanges of one ticket, one gets a row.
    const session: SessionDTO | null = await service.exchangeTicket(
      ticket,
      state.settings.session_ttl_seconds
    )
    if (!session) {
      throw invalidTicketError()
    }
    return new StepResponse(session, session.id)
  },
  async (sessionId: string | undefined, { container }) => {
    if (!sessionId) {
      return
    }
    // The token was never handed out: close the session it would have opened.
    await container
      .resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
      .endSessions({ id: sessionId }, "expired")
  }
)
