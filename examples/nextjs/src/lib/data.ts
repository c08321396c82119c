"use server"
// The storefront's own data functions, written as the starters write them:
// the customer and the orders with `cache: "force-cache"`.
import type { HttpTypes } from "@medusajs/types"
import { endAssistedSession } from "medusa-plugin-login-as-customer-storefront/next"
import { redirect } from "next/navigation"
import { sdk } from "./config"
import { getAuthHeaders, getCartId, removeAuthToken, removeCartId, setAuthToken, setCartId } from "./cookies"

export async function retrieveCustomer(): Promise<HttpTypes.StoreCustomer | null> {
  const headers = await getAuthHeaders()
  if (!("authorization" in headers)) return null
  return sdk.client
    .fetch<{ customer: HttpTypes.StoreCustomer }>("/store/customers/me", { method: "GET", headers, cache: "force-cache" })
    .then(({ customer }) => customer)
    .catch(() => null)
}

export async function listOrders(): Promise<HttpTypes.StoreOrder[]> {
  const headers = await getAuthHeaders()
  if (!("authorization" in headers)) return []
  return sdk.client
    .fetch<HttpTypes.StoreOrderListResponse>("/store/orders", {
      method: "GET",
      headers,
      query: { limit: 10, order: "-created_at" },
      cache: "force-cache",
    })
    .then(({ orders }) => orders)
    .catch(() => [])
}

export async function listProducts(): Promise<HttpTypes.StoreProduct[]> {
  const { regions } = await sdk.store.region.list({}, { ...(await getAuthHeaders()) })
  return sdk.store.product
    .list({ limit: 12, region_id: regions[0]?.id, fields: "*variants.calculated_price" })
    .then(({ products }) => products)
}

export async function retrieveProduct(handle: string): Promise<HttpTypes.StoreProduct | null> {
  const { regions } = await sdk.store.region.list()
  const { products } = await sdk.store.product.list({ handle, region_id: regions[0]?.id, fields: "*variants.calculated_price" })
  return products[0] ?? null
}

export async function retrieveCart(): Promise<HttpTypes.StoreCart | null> {
  const id = await getCartId()
  if (!id) return null
  return sdk.store.cart
    .retrieve(id, {}, { ...(await getAuthHeaders()) })
    .then(({ cart }) => cart)
    .catch(() => null)
}

export async function addToCart(variantId: string): Promise<{ ok: boolean; message: string }> {
  const headers = { ...(await getAuthHeaders()) }
  try {
    let cartId = await getCartId()
    if (!cartId) {
      const { regions } = await sdk.store.region.list({}, headers)
      const { cart } = await sdk.store.cart.create({ region_id: regions[0].id }, {}, headers)
      cartId = cart.id
      await setCartId(cartId)
    }
    await sdk.store.cart.createLineItem(cartId, { variant_id: variantId, quantity: 1 }, {}, headers)
    return { ok: true, message: "Added to cart." }
  } catch (error) {
    return { ok: false, message: `Could not add to cart: ${(error as Error).message}` }
  }
}

export async function login(_state: string | null, formData: FormData): Promise<string | null> {
  try {
    const token = await sdk.auth.login("customer", "emailpass", {
      email: String(formData.get("email")),
      password: String(formData.get("password")),
    })
    if (typeof token !== "string") return "This account needs another sign-in step."
    await setAuthToken(token)
  } catch (error) {
    return (error as Error).message
  }
  redirect("/account")
}

export async function signout() {
  // Login as Customer: an assisted session ends with the sign-out (nothing for the customer's own login).
  await endAssistedSession()
  await removeAuthToken()
  await removeCartId()
  redirect("/account")
}
