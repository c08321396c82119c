import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../../../modules/login-as-customer/service"
import { endLoginAsCustomerSessionsWorkflow } from "../../../../../../workflows/session/workflows/end-login-as-customer-sessions"
import { sessionsAsIssued } from "../../../../../../workflows/session/steps/sessions-as-issued"
import { formatAdminSessions } from "../../../../../utils/sessions"

/**
 * An admin ends a session (reason `ended_by_admin`). A session that was
 * already over (ended, or past its end) answers `409 session_already_ended`
 * with its end reason, so the admin isn't told they ended it.
 */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  // Read in SQL (listSessionsByIds): a row whose context was nested deep by SQL can still be ended.
  // With the log's key, a row the app didn't issue (no ticket_issued line of its own) is no session of the app's.
  const [existing] = await sessionsAsIssued(req.scope, await service.listSessionsByIds([req.params.id]))
  if (!existing) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Session with id: ${req.params.id} was not found`,
      "session_not_found"
    )
  }
  const { result: ended } = await endLoginAsCustomerSessionsWorkflow(req.scope).run({
    input: {
      filter: { id: req.params.id },
      reason: "ended_by_admin",
      ended_by: { actor_type: "user", actor_id: req.auth_context.actor_id },
    },
  })
  // The end is one atomic update: only the request whose update ended the
  // session with this reason ended it; any other found it over (another
  // request's end, or its expiry, which the update records as `expired`).
  const endedHere = ended.some((s) => s.id === req.params.id && s.end_reason === "ended_by_admin")
  const [session] = await service.listSessionsByIds([req.params.id])
  const [formatted] = await formatAdminSessions(req.scope, [session as never])
  if (!endedHere) {
    res.status(409).json({
      type: MedusaError.Types.CONFLICT,
      code: "session_already_ended",
      message: `The session had already ended (${formatted.end_reason ?? "ended"})`,
      end_reason: formatted.end_reason,
      session: formatted,
    })
    return
  }
  res.json({ session: formatted })
}
