import { emitEventStep } from "@medusajs/medusa/core-flows"
import {
  createWorkflow,
  transform,
  when,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { GrantUpdatedEventData, LoginAsCustomerEvents } from "../../../types"
import { endRevokedSessionsStep } from "../../session/steps/end-revoked-sessions"
import { setAdminGrantStep } from "../steps/set-admin-grant"
import { recordEventLogStep } from "../../log/steps/record-event-log"

export type UpdateAdminGrantWorkflowInput = {
  user_id: string
  can_login?: boolean
  can_view_log?: boolean
  /** The admin making the change. */
  actor_id: string
}

export const updateAdminGrantWorkflowId = "update-login-as-customer-admin-grant"

/**
 * Sets what one admin may do when RBAC is off. Taking "Allow Login as
 * Customer" away, while grants decide, ends that admin's sessions
 * (`admin_revoked`).
 */
export const updateAdminGrantWorkflow = createWorkflow(
  updateAdminGrantWorkflowId,
  (input: WorkflowData<UpdateAdminGrantWorkflowInput>) => {
    const result = setAdminGrantStep(input)

    const revoked = transform(
      { result },
      ({ result }) => result.applies && result.current.can_login !== true
    )
    when("login-revoked", { revoked }, ({ revoked }) => revoked).then(() => {
      endRevokedSessionsStep(
        transform({ input }, ({ input }) => ({
          filter: { user_id: input.user_id },
          reason: "admin_revoked" as const,
          ended_by: { actor_type: "user" as const, actor_id: input.actor_id },
        }))
      )
    })

    const eventData = transform({ input, result }, ({ input, result }): GrantUpdatedEventData => ({
      event_id: result.event_id,
      actor_id: input.actor_id,
      user_id: input.user_id,
      can_login: result.current.can_login,
      can_view_log: result.current.can_view_log,
      previous: result.previous
        ? { can_login: result.previous.can_login, can_view_log: result.previous.can_view_log }
        : null,
    }))
    recordEventLogStep({ eventName: LoginAsCustomerEvents.GRANT_UPDATED, data: eventData })
    emitEventStep({ eventName: LoginAsCustomerEvents.GRANT_UPDATED, data: eventData })
    return new WorkflowResponse(transform({ result }, ({ result }) => result.current))
  }
)
