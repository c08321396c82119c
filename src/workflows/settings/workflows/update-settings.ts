import { emitEventStep } from "@medusajs/medusa/core-flows"
import {
  createWorkflow,
  transform,
  when,
  WorkflowData,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import type { SettingsFields } from "../../../modules/login-as-customer/options"
import { LoginAsCustomerEvents, SettingsUpdatedEventData } from "../../../types"
import { endRevokedSessionsStep } from "../../session/steps/end-revoked-sessions"
import { saveSettingsStep } from "../steps/save-settings"
import { validateSettingsUpdateStep } from "../steps/validate-settings-update"
import { recordEventLogStep } from "../../log/steps/record-event-log"
import { recordStorefrontOriginsStep } from "../../log/steps/record-storefront-origins"

export type UpdateSettingsWorkflowInput = {
  update: SettingsFields
  /** The admin saving the settings. */
  actor_id: string
}

export const updateSettingsWorkflowId = "update-login-as-customer-settings"

/**
 * Saves Login as Customer settings and, when something changed, emits
 * `login_as_customer.settings_updated` with the changes.
 */
export const updateSettingsWorkflow = createWorkflow(
  updateSettingsWorkflowId,
  (input: WorkflowData<UpdateSettingsWorkflowInput>) => {
    validateSettingsUpdateStep(input.update)
    // The origins a saved storefront was checked against are on record first.
    const storefrontsSaved = transform({ input }, ({ input }) => !!input.update.storefronts)
    when("storefronts-saved", { storefrontsSaved }, ({ storefrontsSaved }) => storefrontsSaved).then(() => {
      recordStorefrontOriginsStep()
    })
    const result = saveSettingsStep(input.update)

    const changed = transform({ result }, ({ result }) => Object.keys(result.changes).length > 0)
    when("settings-changed", { changed }, ({ changed }) => changed).then(() => {
      const eventData = transform({ input, result }, ({ input, result }) => {
        const data: SettingsUpdatedEventData = {
          event_id: result.event_id,
          actor_id: input.actor_id,
          changes: result.changes,
        }
        return data
      })
      recordEventLogStep({ eventName: LoginAsCustomerEvents.SETTINGS_UPDATED, data: eventData })
      emitEventStep({ eventName: LoginAsCustomerEvents.SETTINGS_UPDATED, data: eventData })
    })

    // Switching the feature off ends every session in progress.
    const disabled = transform(
      { result },
      ({ result }) => !!result.changes.enabled && result.current.enabled === false
    )
    when("feature-disabled", { disabled }, ({ disabled }) => disabled).then(() => {
      endRevokedSessionsStep(
        transform({ input }, ({ input }) => ({
          filter: { all: true },
          reason: "feature_disabled" as const,
          ended_by: { actor_type: "user" as const, actor_id: input.actor_id },
        }))
      )
    })

    const settings = transform({ result }, ({ result }) => result.current)
    return new WorkflowResponse(settings)
  }
)
