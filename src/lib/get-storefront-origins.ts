import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"
import { resolveStorefrontOrigins, STOREFRONT_ORIGINS_ENV, StorefrontOrigins } from "./storefront-origins"

/**
 * The storefront origins tickets may be sent to in this app, from the plugin
 * options, the environment and Medusa's config (see resolveStorefrontOrigins).
 */
export function getStorefrontOrigins(container: MedusaContainer): StorefrontOrigins {
  const options = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE).getOptions()
  const { projectConfig } = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE)
  return resolveStorefrontOrigins({
    option: options.storefront_origins,
    env: process.env[STOREFRONT_ORIGINS_ENV],
    storeCors: projectConfig?.http?.storeCors,
    optionStorefronts: options.storefronts,
  })
}
