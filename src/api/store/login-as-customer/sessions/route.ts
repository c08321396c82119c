import type { MedusaResponse, MedusaStoreRequest } from "@medusajs/framework/http"
import type { TicketRefusalError } from "../../../../workflows/session/steps/exchange-ticket"
import { exchangeLoginTicketWorkflow } from "../../../../workflows/session/workflows/exchange-login-ticket"
import { refuseLoginTicketWorkflow } from "../../../../workflows/session/workflows/refuse-login-ticket"
import { formatStoreSession } from "../../../utils/sessions"
import type { StoreExchangeTicketType } from "../validators"

/**
 * Exchanges a one-time ticket for a customer token marked with the acting
 * admin. A refused ticket is burnt, and a session that may no longer start
 * is ended, before the refusal is answered.
 */
export const POST = async (req: MedusaStoreRequest<StoreExchangeTicketType>, res: MedusaResponse) => {
  const { ticket } = req.validatedBody
  const { result, errors } = await exchangeLoginTicketWorkflow(req.scope).run({
    input: { ticket, sales_channel_ids: req.publishable_key_context?.sales_channel_ids ?? null },
    throwOnError: false,
  })
  if (errors.length) {
    const error = errors[0].error as TicketRefusalError
    const refusal = error.ticket_refusal
    if (refusal) {
      await refuseLoginTicketWorkflow(req.scope).run({
        input: { ticket, burn: refusal.burn, session_id: refusal.session_id, end_reason: refusal.end_reason },
      })
    }
    throw error
  }
  res.status(201).json({
    token: result.token,
    session: await formatStoreSession(req.scope, result.session),
  })
}
