import Medusa from "@medusajs/js-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { Actor, createAdmin, createPublishableKey, registerCustomer } from "./seed"

type Api = Parameters<typeof createAdmin>[0] & { defaults: { baseURL?: string } }

export type Store = {
  admin: Actor
  publishableKey: string
  jane: Actor
  john: Actor
  baseUrl: string
  /** A js-sdk client as a storefront would have it, with no customer signed in. */
  storefront: () => Medusa
}

export const LOGIN_URL = "https://shop.example.com/account/assist"

/**
 * An admin, a storefront key, jane (consent given) and john (no consent), with
 * the feature enabled and one storefront configured.
 */
export async function setupStore(
  api: Api,
  container: MedusaContainer,
  settings: Record<string, unknown> = {}
): Promise<Store> {
  const admin = await createAdmin(api, container)
  const publishableKey = await createPublishableKey(container)
  const jane = await registerCustomer(api, publishableKey, "jane@example.com", {
    first_name: "Jane",
    last_name: "Doe",
  })
  const john = await registerCustomer(api, publishableKey, "john@example.com", {
    first_name: "John",
    last_name: "Smith",
  })
  await api.post("/store/customers/me/remote-assistance", { allowed: true }, jane.headers)
  await api.post(
    "/admin/login-as-customer/settings",
    {
      enabled: true,
      storefronts: [{ id: "main", name: "Main store", login_url: LOGIN_URL }],
      ...settings,
    },
    admin.headers
  )
  const baseUrl = api.defaults.baseURL as string
  return {
    admin,
    publishableKey,
    jane,
    john,
    baseUrl,
    storefront: () => new Medusa({ baseUrl, publishableKey, auth: { type: "jwt", jwtTokenStorageMethod: "memory" } }),
  }
}

/** The ticket from a redirect URL's fragment. */
export function ticketOf(redirectUrl: string): string {
  const hash = new URL(redirectUrl).hash
  return new URLSearchParams(hash.slice(1)).get("ticket") as string
}

/** Admin start → storefront exchange: returns the impersonation token and session. */
export async function impersonate(
  api: Api,
  store: Store,
  customer: Actor = store.jane,
  body: Record<string, unknown> = {}
) {
  const start = await api.post(`/admin/customers/${customer.id}/login-as-customer`, body, store.admin.headers)
  const sdk = store.storefront()
  const exchanged = await sdk.client.fetch<{ token: string; session: { id: string } }>(
    "/store/login-as-customer/sessions",
    { method: "POST", body: { ticket: ticketOf(start.data.redirect_url) } }
  )
  const headers = {
    headers: {
      "x-publishable-api-key": store.publishableKey,
      authorization: `Bearer ${exchanged.token}`,
    },
  }
  return { start: start.data, token: exchanged.token, session: exchanged.session, headers }
}
