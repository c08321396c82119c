import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { SessionDTO } from "../../../types"

export const sessionsAsIssuedStepId = "login-as-customer-sessions-as-issued"

/**
 * The sessions with the admin, customer, storefront, reason and mode their
 * `ticket_issued` lines record, for the lines of their ends: a session's row
 * is no evidence (its table is not append-only: whoever can write the
 * database could put another customer, reason or mode on a session, and its
 * end would be logged so).
 * A session whose line the log doesn't hold is left as it is.
 */
export const sessionsAsIssuedStep = createStep(
  sessionsAsIssuedStepId,
  async (sessions: SessionDTO[], { container }) => {
    const lines = await container
      .resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
      .eventLines(sessions.map((session) => `ticket_issued:${session.id}`))
    return new StepResponse(
      sessions.map((session) => {
        const line = lines.get(`ticket_issued:${session.id}`)
        return line?.user_id && line.customer_id
          ? {
              ...session,
              user_id: line.user_id,
              customer_id: line.customer_id,
              storefront_id: line.storefront_id,
              reason: line.reason,
              mode: (line.mode as SessionDTO["mode"] | null) ?? session.mode,
            }
          : session
      })
    )
  }
)
