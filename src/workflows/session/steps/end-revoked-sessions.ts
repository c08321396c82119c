import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SessionDTO } from "../../../types"
import {
  endLoginAsCustomerSessionsWorkflow,
  type EndLoginAsCustomerSessionsWorkflowInput,
} from "../workflows/end-login-as-customer-sessions"

export const endRevokedSessionsStepId = "end-login-as-customer-sessions-revoked"

/**
 * Ends the sessions a revocation ends (consent withdrawn, the feature
 * switched off, the permission taken), as endLoginAsCustomerSessionsWorkflow
 * does, without failing the revocation: its change and its line stand. A
 * session that couldn't be ended or logged now is refused at its next
 * request all the same (the store guard reads consent, settings and
 * permission on every request) and ended then; the failure goes to the
 * server's log. Before, a session row SQL made unloggable failed the
 * revocation after its line was written: the change was undone, the line
 * said it was made.
 */
export const endRevokedSessionsStep = createStep(
  endRevokedSessionsStepId,
  async (input: EndLoginAsCustomerSessionsWorkflowInput, { container }) => {
    const { result, errors } = await endLoginAsCustomerSessionsWorkflow(container).run({ input, throwOnError: false })
    if (errors.length) {
      // A database error's message starts with the statement (and the values it wrote): only its end says what failed.
      const messages = errors
        .map(({ error }) => {
          const message = (error as Error | undefined)?.message ?? String(error)
          return message.slice(message.lastIndexOf(" - ") + 3 || 0)
        })
        .join("; ")
      container
        .resolve(ContainerRegistrationKeys.LOGGER)
        .error(
          `Login as Customer: sessions to end (${input.reason}) could not all be ended and logged: ${messages}. ` +
            "Each is refused at its next request."
        )
    }
    return new StepResponse((result ?? []) as SessionDTO[])
  }
)
