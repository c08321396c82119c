import { emitEventStep } from "@medusajs/medusa/core-flows"
import {
  createWorkflow,
  transform,
  when,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { endRevokedSessionsStep } from "../../session/steps/end-revoked-sessions"
import {
  AssistanceUpdatedEventData,
  LoginAsCustomerEvents,
  RemoteAssistanceDTO,
} from "../../../types"
import { setRemoteAssistanceStep } from "../steps/set-remote-assistance"
import { validateRemoteAssistanceUpdateStep } from "../steps/validate-remote-assistance-update"
import { toIso } from "../../../lib/dates"
import { recordEventLogStep } from "../../log/steps/record-event-log"

export type UpdateRemoteAssistanceWorkflowInput = {
  customer_id: string
  allowed: boolean
  /** ISO date; consent ends then. Ignored when `allowed` is false. */
  expires_at?: string | Date | null
  actor_type: "customer" | "user"
  actor_id: string
  /** Made from inside an impersonation session (by its admin, on the storefront). */
  in_session?: boolean
}

export const updateRemoteAssistanceWorkflowId = "update-remote-assistance"


/**
 * Gives or withdraws a customer's consent to remote shopping assistance and
 * emits `login_as_customer.assistance_updated`.
 */
export const updateRemoteAssistanceWorkflow = createWorkflow(
  updateRemoteAssistanceWorkflowId,
  (input: WorkflowData<UpdateRemoteAssistanceWorkflowInput>) => {
    validateRemoteAssistanceUpdateStep(input)
    const result = setRemoteAssistanceStep(input)

    const eventData = transform({ input, result }, ({ input, result }) => {
      const data: AssistanceUpdatedEventData = {
        event_id: result.event_id,
        customer_id: input.customer_id,
        allowed: result.current.allowed,
        expires_at: toIso(result.current.expires_at),
        previous: result.previous
          ? { allowed: result.previous.allowed, expires_at: toIso(result.previous.expires_at) }
          : null,
        actor_type: input.actor_type,
        actor_id: input.actor_id,
      }
      return data
    })
    recordEventLogStep({ eventName: LoginAsCustomerEvents.ASSISTANCE_UPDATED, data: eventData })
    emitEventStep({ eventName: LoginAsCustomerEvents.ASSISTANCE_UPDATED, data: eventData })

    // Withdrawn consent ends every session on the account at once.
    when("consent-withdrawn", { input }, ({ input }) => !input.allowed).then(() => {
      endRevokedSessionsStep(
        transform({ input }, ({ input }) => ({
          filter: { customer_id: input.customer_id },
          reason: "consent_withdrawn" as const,
          ended_by: { actor_type: input.actor_type, actor_id: input.actor_id },
        }))
      )
    })

    const remoteAssistance = transform(
      { result },
      ({ result }): RemoteAssistanceDTO => result.current
    )
    return new WorkflowResponse(remoteAssistance)
  }
)
