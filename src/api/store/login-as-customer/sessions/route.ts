import type { MedusaResponse, MedusaStoreRequest } from "@medusajs/framework/http"
import { exchangeLoginTicketWorkflow } from "../../../../workflows/session/workflows/exchange-login-ticket"
import { formatStoreSession } from "../../../utils/sessions"
import type { StoreExchangeTicketType } from "../validators"

/** Exchanges a one-time ticket for a customer token marked with the acting admin. */
export const POST = async (req: MedusaStoreRequest<StoreExchangeTicketType>, res: MedusaResponse) => {
  const { result } = await exchangeLoginTicketWorkflow(req.scope).run({
    input: {
      ticket: req.validatedBody.ticket,
      sales_channel_ids: req.publishable_key_context?.sales_channel_ids ?? null,
    },
  })
  res.status(201).json({
    token: result.token,
    session: await formatStoreSession(req.scope, result.session),
  })
}
