import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { readImpersonationClaim } from "../../../../lib/impersonation-claim"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../modules/login-as-customer/service"
import { endLoginAsCustomerSessionsWorkflow } from "../../../../workflows/session/workflows/end-login-as-customer-sessions"
import { formatStoreSession } from "../../../utils/sessions"

/** The impersonation session this request runs in, or `null` for the customer themselves. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const claim = readImpersonationClaim(req.auth_context)
  if (!claim) {
    return res.json({ session: null })
  }
  // The store guard has already checked that this session is alive.
  const session = await req.scope
    .resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    .retrieveLoginAsCustomerSession(claim.session_id)
  res.json({ session: await formatStoreSession(req.scope, session as never) })
}

/** Ends the impersonation session (the banner's "End session"). */
export const DELETE = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const claim = readImpersonationClaim(req.auth_context)
  if (!claim) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "This request is not part of a Login as Customer session",
      "not_impersonating"
    )
  }
  const { result } = await endLoginAsCustomerSessionsWorkflow(req.scope).run({
    input: {
      filter: { id: claim.session_id },
      reason: "logout",
      ended_by: { actor_type: "user", actor_id: claim.user_id },
    },
  })
  const session =
    result[0] ??
    (await req.scope
      .resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
      .retrieveLoginAsCustomerSession(claim.session_id))
  res.json({ session: await formatStoreSession(req.scope, session as never) })
}
