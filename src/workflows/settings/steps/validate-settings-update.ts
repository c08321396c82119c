import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SettingsFields } from "../../../modules/login-as-customer/options"

export const validateSettingsUpdateStepId = "validate-login-as-customer-settings-update"

/** Checks what the schema can't: that every storefront's sales channel exists. */
export const validateSettingsUpdateStep = createStep(
  validateSettingsUpdateStepId,
  async (update: SettingsFields, { container }) => {
    const ids = Array.from(
      new Set(
        (update.storefronts ?? [])
          .map((storefront) => storefront.sales_channel_id)
          .filter((id): id is string => !!id)
      )
    )
    if (ids.length) {
      const found = await container
        .resolve(Modules.SALES_CHANNEL)
        .listSalesChannels({ id: ids }, { select: ["id"] })
      const known = new Set(found.map((channel) => channel.id))
      const missing = ids.filter((id) => !known.has(id))
      if (missing.length) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `storefronts: sales channel(s) not found: ${missing.join(", ")}`,
          "invalid_data"
        )
      }
    }
    return new StepResponse(undefined)
  }
)
