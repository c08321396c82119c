import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../../modules/login-as-customer/service"
import { updateRemoteAssistanceWorkflow } from "../../../../../workflows/remote-assistance/workflows/update-remote-assistance"
import type { GuardedRequest } from "../../../../impersonation/types"
import { formatRemoteAssistance } from "../../../../utils/format"
import type { UpdateRemoteAssistanceType } from "../../../../utils/schemas"
import { listAssistanceHistory } from "./history"
import type { StoreGetRemoteAssistanceType } from "./validators"

/** The signed-in customer's consent and a page of their assistance history. */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, StoreGetRemoteAssistanceType>,
  res: MedusaResponse
) => {
  const customerId = req.auth_context.actor_id
  const { limit, offset } = req.validatedQuery
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const [consent, history] = await Promise.all([
    service.getRemoteAssistance(customerId),
    listAssistanceHistory(req.scope, customerId, { limit, offset }),
  ])
  res.json({
    remote_assistance: formatRemoteAssistance(consent),
    sessions: history.sessions,
    count: history.count,
    offset,
    limit,
  })
}

/**
 * The customer gives or withdraws consent ("Allow remote shopping
 * assistance"); in an impersonation session, where the settings allow it,
 * the change is the acting admin's.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<UpdateRemoteAssistanceType>,
  res: MedusaResponse
) => {
  const customerId = req.auth_context.actor_id
  const session = (req as GuardedRequest).login_as_customer?.session
  const { result } = await updateRemoteAssistanceWorkflow(req.scope).run({
    input: {
      allowed: req.validatedBody.allowed,
      expires_at: req.validatedBody.expires_at ?? null,
      // Last, so nothing in the request can choose whose consent changes.
      in_session: !!session,
      actor_type: session ? "user" : "customer",
      actor_id: session ? session.user_id : customerId,
      customer_id: customerId,
    },
  })
  res.json({ remote_assistance: formatRemoteAssistance(result) })
}
