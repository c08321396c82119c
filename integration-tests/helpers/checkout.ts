import { Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createProductsWorkflow, createRegionsWorkflow } from "@medusajs/medusa/core-flows"

/**
 * What a cart needs to be completed: a region paid with the system provider, a
 * sales channel behind the publishable key, and a product with a price.
 */
export async function setupCatalog(container: MedusaContainer, publishableKey: string) {
  const {
    result: [region],
  } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        { name: "Europe", currency_code: "eur", countries: ["de"], payment_providers: ["pp_system_default"] },
      ],
    },
  })
  const salesChannel = await container
    .resolve(Modules.SALES_CHANNEL)
    .createSalesChannels({ name: "Web" })
  const apiKeyModule = container.resolve(Modules.API_KEY)
  const [key] = await apiKeyModule.listApiKeys({ token: publishableKey })
  await container.resolve("link").create({
    [Modules.API_KEY]: { publishable_key_id: key.id },
    [Modules.SALES_CHANNEL]: { sales_channel_id: salesChannel.id },
  })
  const {
    result: [product],
  } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title: "Mug",
          status: "published",
          options: [{ title: "Size", values: ["M"] }],
          variants: [
            {
              title: "M",
              options: { Size: "M" },
              manage_inventory: false,
              prices: [{ amount: 12, currency_code: "eur" }],
            },
          ],
          sales_channels: [{ id: salesChannel.id }],
        },
      ],
    },
  })
  return { region, salesChannel, variantId: product.variants[0].id }
}

type Api = {
  post: (url: string, body?: unknown, config?: Record<string, unknown>) => Promise<any>
}

/** Builds a cart with one item and an authorized-ready payment session, through the store API. */
export async function prepareCart(
  api: Api,
  headers: { headers: Record<string, string> },
  catalog: { region: { id: string }; variantId: string }
): Promise<string> {
  const { data } = await api.post("/store/carts", { region_id: catalog.region.id }, headers)
  const cartId = data.cart.id
  await api.post(`/store/carts/${cartId}/line-items`, { variant_id: catalog.variantId, quantity: 1 }, headers)
  const collection = await api.post("/store/payment-collections", { cart_id: cartId }, headers)
  await api.post(
    `/store/payment-collections/${collection.data.payment_collection.id}/payment-sessions`,
    { provider_id: "pp_system_default" },
    headers
  )
  return cartId
}
