import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOG_LINE_REFUSED } from "../../../lib/retry"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { SessionDTO } from "../../../types"
import { differencesFromIssued, ticketIssuedEventId } from "./sessions-as-issued"

export const checkSessionAsIssuedStepId = "check-login-as-customer-session-as-issued"

/**
 * A session starts only as its ticket was issued: its admin, customer,
 * storefront, mode and reason are the ones its `ticket_issued` line records
 * (erasure clears the reason in both). The
 * session's row is no evidence (its table is not append-only: whoever can
 * write the database could put another admin on it while its ticket waits,
 * and the session would run, and be logged, as theirs); the line is.
 * Throwing here undoes the exchange (exchangeTicketStep's compensation).
 */
export const checkSessionAsIssuedStep = createStep(
  checkSessionAsIssuedStepId,
  async (session: SessionDTO, { container }) => {
    const eventId = ticketIssuedEventId(session.id)
    const line = (await container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE).eventLines([eventId])).get(eventId)
    const differs = !line
      ? ["ticket_issued"]
      : [...(line.session_id === session.id ? [] : ["session_id"]), ...differencesFromIssued(session, line)]
    if (differs.length) {
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `Login as Customer: session ${session.id} is not as its ticket was issued (${differs.join(", ")} ${
          line ? "differ from its ticket_issued line" : "line not in the log"
        }); it was not started`,
        LOG_LINE_REFUSED
      )
    }
    return new StepResponse(null)
  }
)
