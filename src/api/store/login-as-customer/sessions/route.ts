import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { exchangeLoginTicketWorkflow } from "../../../../workflows/session/workflows/exchange-login-ticket"
import { formatStoreSession } from "../../../utils/sessions"
import type { StoreExchangeTicketType } from "../validators"

/** Exchanges a one-time ticket for a customer token marked with the acting admin. */
export const POST = async (req: MedusaRequest<StoreExchangeTicketType>, res: MedusaResponse) => {
  const { result } = await exchangeLoginTicketWorkflow(req.scope).run({
    input: { ticket: req.validatedBody.ticket },
  })
  res.status(201).json({
    token: result.token,
    session: await formatStoreSession(req.scope, result.session),
  })
}
