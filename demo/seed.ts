// The demo store, seeded by `npm run demo` through `medusa exec`. Idempotent:
// every record is looked up first, so a second run changes nothing.
import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createCustomerAccountWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  createUserAccountWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"
import fs from "fs"
import path from "path"

const PASSWORD = "supersecret"
const COUNTRIES = ["de", "fr", "es", "it", "nl"]
const PRODUCTS = [
  { title: "Medusa Mug", handle: "medusa-mug", price: 12 },
  { title: "Medusa T-Shirt", handle: "medusa-t-shirt", price: 25 },
  { title: "Medusa Hoodie", handle: "medusa-hoodie", price: 49 },
  { title: "Medusa Cap", handle: "medusa-cap", price: 19 },
]

async function registerIdentity(container: MedusaContainer, email: string) {
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity, error } = await auth.register("emailpass", {
    body: { email, password: PASSWORD },
  } as never)
  if (!authIdentity) {
    throw new Error(`Could not register ${email}: ${error}`)
  }
  return authIdentity.id
}

async function seedAdmin(container: MedusaContainer) {
  const users = await container.resolve(Modules.USER).listUsers({ email: "admin@example.com" })
  if (users.length) return
  await createUserAccountWorkflow(container).run({
    input: {
      authIdentityId: await registerIdentity(container, "admin@example.com"),
      userData: { email: "admin@example.com", first_name: "Ada", last_name: "Admin" },
    },
  })
}

async function seedCustomer(container: MedusaContainer, email: string, first_name: string, last_name: string) {
  const [existing] = await container.resolve(Modules.CUSTOMER).listCustomers({ email, has_account: true })
  if (existing) return existing.id
  const { result } = await createCustomerAccountWorkflow(container).run({
    input: {
      authIdentityId: await registerIdentity(container, email),
      customerData: { email, first_name, last_name },
    },
  })
  return result.id
}

export default async function seedDemo({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const link = container.resolve(ContainerRegistrationKeys.LINK)

  // Store, sales channel, currencies.
  const salesChannelModule = container.resolve(Modules.SALES_CHANNEL)
  let [salesChannel] = await salesChannelModule.listSalesChannels({ name: "Default Sales Channel" })
  if (!salesChannel) {
    const { result } = await createSalesChannelsWorkflow(container).run({
      input: { salesChannelsData: [{ name: "Default Sales Channel" }] },
    })
    salesChannel = result[0]
  }
  const [store] = await container.resolve(Modules.STORE).listStores()
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: {
        supported_currencies: [
          { currency_code: "eur", is_default: true },
          { currency_code: "usd" },
        ],
        default_sales_channel_id: salesChannel.id,
      },
    },
  })

  // Region and taxes.
  let [region] = await container.resolve(Modules.REGION).listRegions({ name: "Europe" })
  if (!region) {
    const { result } = await createRegionsWorkflow(container).run({
      input: {
        regions: [
          { name: "Europe", currency_code: "eur", countries: COUNTRIES, payment_providers: ["pp_system_default"] },
        ],
      },
    })
    region = result[0]
  }
  const taxRegions = await container.resolve(Modules.TAX).listTaxRegions({ country_code: COUNTRIES })
  const missingTax = COUNTRIES.filter((c) => !taxRegions.some((t) => t.country_code === c))
  if (missingTax.length) {
    await createTaxRegionsWorkflow(container).run({
      input: missingTax.map((country_code) => ({ country_code, provider_id: "tp_system" })),
    })
  }

  // Stock location, fulfillment and shipping.
  let [location] = await container.resolve(Modules.STOCK_LOCATION).listStockLocations({ name: "Demo Warehouse" })
  if (!location) {
    const { result } = await createStockLocationsWorkflow(container).run({
      input: { locations: [{ name: "Demo Warehouse", address: { city: "Berlin", country_code: "DE", address_1: "" } }] },
    })
    location = result[0]
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
      [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
    })
    await linkSalesChannelsToStockLocationWorkflow(container).run({
      input: { id: location.id, add: [salesChannel.id] },
    })
  }
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  let [profile] = await fulfillment.listShippingProfiles({ type: "default" })
  if (!profile) {
    const { result } = await createShippingProfilesWorkflow(container).run({
      input: { data: [{ name: "Default Shipping Profile", type: "default" }] },
    })
    profile = result[0]
  }
  const [existingSet] = await fulfillment.listFulfillmentSets(
    { name: "Demo Warehouse delivery" },
    { relations: ["service_zones"] }
  )
  if (!existingSet) {
    const set = await fulfillment.createFulfillmentSets({
      name: "Demo Warehouse delivery",
      type: "shipping",
      service_zones: [
        { name: "Europe", geo_zones: COUNTRIES.map((country_code) => ({ country_code, type: "country" as const })) },
      ],
    })
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
      [Modules.FULFILLMENT]: { fulfillment_set_id: set.id },
    })
    await createShippingOptionsWorkflow(container).run({
      input: [
        {
          name: "Standard Shipping",
          price_type: "flat",
          provider_id: "manual_manual",
          service_zone_id: set.service_zones[0].id,
          shipping_profile_id: profile.id,
          type: { label: "Standard", description: "Ships in 2-3 days.", code: "standard" },
          prices: [
            { currency_code: "eur", amount: 5 },
            { region_id: region.id, amount: 5 },
          ],
          rules: [
            { attribute: "enabled_in_store", value: "true", operator: "eq" },
            { attribute: "is_return", value: "false", operator: "eq" },
          ],
        },
      ],
    })
  }

  // Publishable key for the storefront.
  let [apiKey] = await container
    .resolve(Modules.API_KEY)
    .listApiKeys({ title: "Demo storefront", type: "publishable", revoked_at: null })
  if (!apiKey) {
    const { result } = await createApiKeysWorkflow(container).run({
      input: { api_keys: [{ title: "Demo storefront", type: "publishable", created_by: "" }] },
    })
    apiKey = result[0]
    await linkSalesChannelsToApiKeyWorkflow(container).run({
      input: { id: apiKey.id, add: [salesChannel.id] },
    })
  }

  // Products.
  const existingProducts = await container
    .resolve(Modules.PRODUCT)
    .listProducts({ handle: PRODUCTS.map((p) => p.handle) }, { select: ["handle"] })
  const missingProducts = PRODUCTS.filter((p) => !existingProducts.some((e) => e.handle === p.handle))
  if (missingProducts.length) {
    await createProductsWorkflow(container).run({
      input: {
        products: missingProducts.map((p) => ({
          title: p.title,
          handle: p.handle,
          status: "published" as const,
          shipping_profile_id: profile.id,
          options: [{ title: "Size", values: ["One size"] }],
          variants: [
            {
              title: "One size",
              options: { Size: "One size" },
              manage_inventory: false,
              prices: [{ amount: p.price, currency_code: "eur" }],
            },
          ],
          sales_channels: [{ id: salesChannel.id }],
        })),
      },
    })
  }

  // People, consent and the plugin's settings.
  await seedAdmin(container)
  const janeId = await seedCustomer(container, "jane@example.com", "Jane", "Doe")
  await seedCustomer(container, "john@example.com", "John", "Smith")

  const lac = container.resolve("loginAsCustomer") as {
    getRemoteAssistance(id: string): Promise<unknown>
    setRemoteAssistance(input: Record<string, unknown>): Promise<unknown>
    listLoginAsCustomerSettings(filter: Record<string, unknown>): Promise<unknown[]>
    saveSettings(update: Record<string, unknown>): Promise<unknown>
  }
  if (!(await lac.getRemoteAssistance(janeId))) {
    await lac.setRemoteAssistance({
      customer_id: janeId,
      allowed: true,
      expires_at: null,
      updated_by_type: "customer",
      updated_by_id: janeId,
    })
  }
  if (!(await lac.listLoginAsCustomerSettings({ id: "lacset_default" })).length) {
    await lac.saveSettings({
      // The browser tests start with the feature off and switch it on in the admin.
      enabled: process.env.DEMO_LAC_ENABLED !== "false",
      storefronts: [
        {
          id: "reference",
          name: "Reference storefront",
          sales_channel_id: salesChannel.id,
          login_url: process.env.DEMO_STOREFRONT_URL || "http://localhost:8000/",
        },
      ],
    })
  }

  const keyFile = path.join(process.env.DEMO_DIR || path.join(process.cwd(), ".demo"), "publishable-key.txt")
  fs.mkdirSync(path.dirname(keyFile), { recursive: true })
  fs.writeFileSync(keyFile, `${apiKey.token}\n`)
  logger.info(`Demo seeded. Publishable key: ${apiKey.token}`)
}
