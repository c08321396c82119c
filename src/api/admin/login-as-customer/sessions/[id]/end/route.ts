import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../../../modules/login-as-customer/service"
import { endLoginAsCustomerSessionsWorkflow } from "../../../../../../workflows/session/workflows/end-login-as-customer-sessions"
import { formatAdminSessions } from "../../../../../utils/sessions"

/** An admin ends a session (reason `ended_by_admin`); ending an ended session is a no-op. */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const [existing] = await service.listLoginAsCustomerSessions({ id: req.params.id }, { take: 1 })
  if (!existing) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Session with id: ${req.params.id} was not found`,
      "session_not_found"
    )
  }
  await endLoginAsCustomerSessionsWorkflow(req.scope).run({
    input: {
      filter: { id: req.params.id },
      reason: "ended_by_admin",
      ended_by: { actor_type: "user", actor_id: req.auth_context.actor_id },
    },
  })
  const session = await service.retrieveLoginAsCustomerSession(req.params.id)
  const [formatted] = await formatAdminSessions(req.scope, [session as never])
  res.json({ session: formatted })
}
