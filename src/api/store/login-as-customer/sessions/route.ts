import type { MedusaResponse, MedusaStoreRequest } from "@medusajs/framework/http"
import { exchangeLoginTicketWorkflow } from "../../../../workflows/session/workflows/exchange-login-ticket"
import { formatStoreSession } from "../../../utils/sessions"
import type { StoreExchangeTicketType } from "../validators"

/**
 * Exchanges a one-time ticket for a customer token marked with the acting
 * admin. The workflow burns a refused ticket, and ends a session that may no
 * longer start, before the refusal is answered.
 */
export const POST = async (req: MedusaStoreRequest<StoreExchangeTicketType>, res: MedusaResponse) => {
  const { ticket } = req.validatedBody
  const { result, errors } = await exchangeLoginTicketWorkflow(req.scope).run({
    input: { ticket, sales_channel_ids: req.publishable_key_context?.sales_channel_ids ?? null },
    throwOnError: false,
  })
  if (errors.length) {
    throw errors[0].error
  }
  res.status(201).json({
    token: result.token,
    session: await formatStoreSession(req.scope, result.session),
  })
}
