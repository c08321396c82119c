import type {
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
  MiddlewareRoute,
} from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { endLoginAsCustomerSessionsWorkflow } from "../../../workflows/session/workflows/end-login-as-customer-sessions"

type SessionRequest = MedusaRequest & {
  session?: { auth_context?: { actor_id?: string; actor_type?: string } }
}

/**
 * An admin logging out (`DELETE /auth/session` with their cookie session)
 * ends every Login as Customer session they have open, pending or active,
 * with the reason `admin_logout`, before Medusa destroys the cookie session
 * and answers: when the logout is answered, the sessions are over and on
 * record. Medusa hasn't read the identity of /auth requests yet here, so it
 * is taken from the cookie session itself, which only the server writes.
 *
 * The logout goes on even if the sessions can't be ended (the database
 * unreachable after retries): keeping the admin signed in would be worse.
 * The failure is written to the server log; the sessions still end at their
 * expiry, or from the widget.
 */
export async function endAdminSessionsOnLogout(
  req: MedusaRequest,
  _res: MedusaResponse,
  next: MedusaNextFunction
) {
  const auth = (req as SessionRequest).session?.auth_context
  if (auth?.actor_type !== "user" || !auth.actor_id) {
    return next()
  }
  try {
    await endLoginAsCustomerSessionsWorkflow(req.scope).run({
      input: {
        filter: { user_id: auth.actor_id },
        reason: "admin_logout",
        ended_by: { actor_type: "user", actor_id: auth.actor_id },
      },
    })
  } catch (error) {
    req.scope
      .resolve(ContainerRegistrationKeys.LOGGER)
      .error(
        `Login as Customer: could not end the sessions of admin ${auth.actor_id} at logout: ${(error as Error).message}`
      )
  }
  next()
}

export const authSessionMiddlewares: MiddlewareRoute[] = [
  { methods: ["DELETE"], matcher: "/auth/session", middlewares: [endAdminSessionsOnLogout] },
]
