import { ContainerRegistrationKeys, generateEntityId } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type { SettingsFields } from "../../../modules/login-as-customer/options"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { SettingsDTO } from "../../../types"

export const saveSettingsStepId = "save-login-as-customer-settings"

export type SettingsChanges = Record<string, { from: unknown; to: unknown }>

/** The fields whose value an update actually changed. */
export function diffSettings(previous: SettingsDTO, current: SettingsDTO): SettingsChanges {
  const changes: SettingsChanges = {}
  for (const key of Object.keys(current) as Array<keyof SettingsDTO>) {
    if (key === "updated_at") continue
    if (JSON.stringify(previous[key]) !== JSON.stringify(current[key])) {
      changes[key] = { from: previous[key], to: current[key] }
    }
  }
  return changes
}

/** Saves the settings; compensation puts the previous ones back. */
export const saveSettingsStep = createStep(
  saveSettingsStepId,
  async (update: SettingsFields, { container }) => {
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    const { previous, current } = await service.saveSettings(update)
    const changes = diffSettings(previous, current)
    if (changes.consent_mode && current.consent_mode === "not_required") {
      // Turning consent off for every customer deserves more than a log row.
      container
        .resolve(ContainerRegistrationKeys.LOGGER)
        .warn(
          "Login as Customer: consent_mode is now 'not_required': admins may log in as any customer without their consent"
        )
    }
    return new StepResponse(
      { previous, current, changes, event_id: generateEntityId(undefined, "lacev") },
      previous
    )
  },
  async (previous: SettingsDTO | undefined, { container }) => {
    if (!previous) {
      return
    }
    await container
      .resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
      .revertSettings(previous)
  }
)
