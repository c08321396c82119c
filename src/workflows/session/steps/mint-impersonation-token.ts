import { ContainerRegistrationKeys, generateJwtToken } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { reasonDigest } from "../../../lib/impersonation-claim"
import type { SessionDTO } from "../../../types"

export const mintImpersonationTokenStepId = "mint-login-as-customer-token"

/**
 * Signs a normal Medusa customer token for the session's customer, with the
 * admin as RFC 8693 actor (`act.sub`), the session id, its mode and its
 * reason's digest (while the session's row says another mode or reason, the
 * token is refused: canContinueSession), expiring with the session. It carries no auth identity, so Medusa can't refresh it.
 */
export const mintImpersonationTokenStep = createStep(
  mintImpersonationTokenStepId,
  async (session: SessionDTO, { container }) => {
    const { http } = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE).projectConfig
    // jsonwebtoken sets exp = floor(now) + expiresIn: this makes exp the
    // session's own end, to the second.
    const secondsLeft = Math.max(
      1,
      Math.floor(new Date(session.expires_at).getTime() / 1000) - Math.floor(Date.now() / 1000)
    )
    const token = generateJwtToken(
      {
        actor_id: session.customer_id,
        actor_type: "customer",
        auth_identity_id: "",
        app_metadata: {
          customer_id: session.customer_id,
          login_as_customer: {
            session_id: session.id,
            user_id: session.user_id,
            mode: session.mode,
            reason_digest: reasonDigest(session.reason),
          },
        },
        user_metadata: {},
        act: { sub: session.user_id },
      },
      {
        secret: http.jwtSecret as string,
        expiresIn: secondsLeft,
        jwtOptions: http.jwtOptions as never,
      }
    )
    return new StepResponse(token)
  }
)
