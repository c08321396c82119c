import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { getStorefrontOrigins } from "../../../lib/get-storefront-origins"
import { isAllowedLoginUrl } from "../../../lib/storefront-origins"
import type { SettingsFields } from "../../../modules/login-as-customer/options"

export const validateSettingsUpdateStepId = "validate-login-as-customer-settings-update"

/**
 * Checks what the schema can't: that every storefront's login URL is at an
 * allowed storefront origin (fixed at deploy time) and its sales channel exists.
 */
export const validateSettingsUpdateStep = createStep(
  validateSettingsUpdateStepId,
  async (update: SettingsFields, { container }) => {
    if (update.storefronts?.length) {
      const { origins } = getStorefrontOrigins(container)
      const refused = update.storefronts.filter((storefront) => !isAllowedLoginUrl(storefront.login_url, origins))
      if (refused.length) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `storefronts: login_url not at an allowed storefront origin: ${refused
            .map((storefront) => storefront.login_url)
            .join(", ")}. Allowed: ${
            origins.join(", ") || "none (set storefront_origins in the plugin options)"
          }`,
          "storefront_origin_not_allowed"
        )
      }
    }
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
