import { asValue } from "@medusajs/framework/awilix"
import type { LoaderOptions } from "@medusajs/framework/types"
import { assertStorefrontOriginsEnv, STOREFRONT_ORIGINS_ENV } from "../../../lib/storefront-origins"
import { parsePluginOptions } from "../options"

/**
 * Validates the plugin options at boot: a bad option stops the app with a
 * message naming the option, instead of failing later on a request. The
 * parsed options are registered in the module's container for its services.
 */
export default async function validateOptionsLoader({
  container,
  options,
}: LoaderOptions<Record<string, unknown>>): Promise<void> {
  const parsed = parsePluginOptions(options)
  assertStorefrontOriginsEnv(process.env[STOREFRONT_ORIGINS_ENV])
  container.register("loginAsCustomerOptions", asValue(parsed))
}
