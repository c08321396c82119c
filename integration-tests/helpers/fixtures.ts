import Medusa from "@medusajs/js-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../src/modules/login-as-customer"
import { Actor, createAdmin, createPublishableKey, refused, registerCustomer } from "./seed"

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

/** The HTTP response of a request expected to fail (fails the test if it succeeded): `refused` by another name. */
export { refused as refusal }

/** Store request headers for a customer token (the customer's own or an impersonation token). */
export function storeHeaders(store: Store, token: string) {
  return {
    headers: {
      "x-publishable-api-key": store.publishableKey,
      authorization: `Bearer ${token}`,
    },
  }
}

/** A JWT's payload, decoded (not verified). */
export function jwtPayload(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"))
}

/** The plugin's module service. */
export function lacService(container: MedusaContainer): any {
  return container.resolve(LOGIN_AS_CUSTOMER_MODULE)
}

/** A time-boxed consent that ran out a second ago (nothing ends a session when that happens); returns the consent row. */
export async function endConsentNow(container: MedusaContainer, customerId: string) {
  const service = lacService(container)
  const consent = await service.getRemoteAssistance(customerId)
  await service.updateRemoteAssistances({ id: consent.id, expires_at: new Date(Date.now() - 1000) })
  return consent
}

/** Saves settings as the store's admin. */
export async function saveSettings(api: Api, store: Store, settings: Record<string, unknown>) {
  const { data } = await api.post("/admin/login-as-customer/settings", settings, store.admin.headers)
  return data.settings
}

/** Log rows of one action (optionally narrowed further), oldest first. */
export async function logRows(
  container: MedusaContainer,
  action: string,
  filter: Record<string, unknown> = {}
): Promise<any[]> {
  return lacService(container).listLoginAsCustomerLogEntries(
    { action, ...filter },
    { order: { created_at: "ASC" } }
  )
}

/**
 * Waits until at least `count` log rows of the action match, then waits a little
 * longer and returns them all: so a caller asserting an exact number also
 * catches a late duplicate.
 */
export async function settledLogRows(
  container: MedusaContainer,
  action: string,
  filter: Record<string, unknown> = {},
  { count = 1, settle = 300 } = {}
): Promise<any[]> {
  const deadline = Date.now() + 5000
  let rows = await logRows(container, action, filter)
  while (rows.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    rows = await logRows(container, action, filter)
  }
  await new Promise((resolve) => setTimeout(resolve, settle))
  return logRows(container, action, filter)
}

/**
 * Waits until the log stops growing (no new row for `quiet` ms): every event
 * so far has been written, so a snapshot taken now is stable.
 */
export async function logQuiet(container: MedusaContainer, { quiet = 400, timeout = 5000 } = {}) {
  const count = async () => (await lacService(container).listLoginAsCustomerLogEntries({}, { select: ["id"] })).length
  const deadline = Date.now() + timeout
  let last = await count()
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, quiet))
    const now = await count()
    if (now === last) {
      return now
    }
    last = now
  }
  return last
}
