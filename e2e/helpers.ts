import { Browser, BrowserContext, chromium, Page } from "playwright-core"

// Another stack's ports (demo/run.js DEMO_MEDUSA_PORT, DEMO_STOREFRONT_PORT) through E2E_ADMIN_URL, E2E_STOREFRONT_URL.
export const ADMIN_URL = process.env.E2E_ADMIN_URL || "http://localhost:9000"
export const STOREFRONT_URL = process.env.E2E_STOREFRONT_URL || "http://localhost:8000"

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  })
}

/** A JSON call to the Medusa API. */
export async function api(method: string, url: string, { token, body, key }: { token?: string; body?: unknown; key?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" }
  if (token) headers.authorization = `Bearer ${token}`
  if (key) headers["x-publishable-api-key"] = key
  const res = await fetch(ADMIN_URL + url, { method, headers, body: body ? JSON.stringify(body) : undefined })
  const data = await res.json().catch(() => null)
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(data)}`)
  return data
}

export async function adminToken(email = "admin@example.com", password = "supersecret"): Promise<string> {
  return (await api("POST", "/auth/user/emailpass", { body: { email, password } })).token
}

export async function customerId(token: string, email: string): Promise<string> {
  const { customers } = await api("GET", `/admin/customers?q=${encodeURIComponent(email)}`, { token })
  return customers.find((c: { email: string }) => c.email === email).id
}

/** Signs in to the admin in a fresh context (optionally in another language). */
export async function adminPage(
  browser: Browser,
  { email = "admin@example.com", language }: { email?: string; language?: string } = {}
): Promise<{ context: BrowserContext; page: Page }> {
  // The dashboard's codes ("ptBR") as the browser's locale ("pt-BR").
  const locale = language ? language.replace(/^([a-z]{2,3})([A-Z]{2})$/, "$1-$2") : "en-US"
  const context = await browser.newContext({ acceptDownloads: true, locale })
  if (language) {
    await context.addInitScript((lng) => window.localStorage.setItem("lng", lng), language)
  }
  const page = await context.newPage()
  page.setDefaultTimeout(60_000)
  // The first load builds the admin (vite), which takes a while on 2 cores.
  await page.goto(`${ADMIN_URL}/app/login`, { timeout: 240_000 })
  await page.fill('input[name="email"]', email)
  await page.fill('input[name="password"]', "supersecret")
  await page.click('button[type="submit"]')
  await page.waitForURL((url) => !url.pathname.startsWith("/app/login"), { timeout: 120_000 })
  return { context, page }
}

type StoreAuth = { token: string; key: string }

/**
 * An order placed through the store API as a storefront places it (the first
 * product of the first region, the customer's own name and email, the first
 * shipping option, the system payment provider).
 */
export async function placeOrderThroughStore(auth: StoreAuth): Promise<{ id: string; display_id: number }> {
  const { regions } = await api("GET", "/store/regions?limit=1", auth)
  const region = regions[0]
  const { products } = await api("GET", `/store/products?limit=1&region_id=${region.id}&fields=id,*variants`, auth)
  const { cart } = await api("POST", "/store/carts", { ...auth, body: { region_id: region.id } })
  await api("POST", `/store/carts/${cart.id}/line-items`, { ...auth, body: { variant_id: products[0].variants[0].id, quantity: 1 } })
  const { customer } = await api("GET", "/store/customers/me", auth)
  // The reference storefront's address in Germany, one of the demo region's countries (demo/seed.ts):
  // a Berlin street with Germany, whichever country the region happens to list first.
  expect(region.countries.map((c: { iso_2: string }) => c.iso_2)).toContain("de")
  const address = {
    first_name: customer.first_name,
    last_name: customer.last_name,
    address_1: "Friedrichstraße 1",
    city: "Berlin",
    postal_code: "10117",
    country_code: "de",
  }
  await api("POST", `/store/carts/${cart.id}`, { ...auth, body: { email: customer.email, shipping_address: address, billing_address: address } })
  const { shipping_options } = await api("GET", `/store/shipping-options?cart_id=${cart.id}`, auth)
  await api("POST", `/store/carts/${cart.id}/shipping-methods`, { ...auth, body: { option_id: shipping_options[0].id } })
  const { payment_collection } = await api("POST", "/store/payment-collections", { ...auth, body: { cart_id: cart.id } })
  await api("POST", `/store/payment-collections/${payment_collection.id}/payment-sessions`, { ...auth, body: { provider_id: "pp_system_default" } })
  const result = await api("POST", `/store/carts/${cart.id}/complete`, { ...auth, body: {} })
  expect(result.type).toBe("order")
  return result.order
}

/** Waits until the plugin has annotated an order placed in a session (from the order.placed event); its id. */
export async function annotatedOrder(orderId: string, adminToken: string): Promise<string> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const { order } = await api("GET", `/admin/orders/${orderId}?fields=id,metadata`, { token: adminToken })
    if (order.metadata?.login_as_customer) return orderId
    if (Date.now() > deadline) throw new Error(`order ${orderId} was not annotated`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** Whether a console line or stack comes from the plugin's pages or routes. */
export const fromPlugin = (text: string) => /login-as-customer|loginAsCustomer|src\/admin\//i.test(text)

/** Collects the console errors and uncaught exceptions of a page that come from the plugin. */
export function pluginErrors(page: Page): string[] {
  const errors: string[] = []
  page.on("console", (message) => {
    if (message.type() !== "error") return
    const text = `${message.text()} @ ${message.location().url}`
    if (fromPlugin(text)) errors.push(text)
  })
  page.on("pageerror", (error) => {
    const text = `${error.message}\n${error.stack ?? ""}`
    if (fromPlugin(text)) errors.push(text)
  })
  return errors
}

/** Opens the admin's login page once: its first load is built on demand (vite), slow on a busy machine. */
export async function warmAdmin(browser: Browser): Promise<void> {
  const warm = await browser.newPage()
  await warm.goto(`${ADMIN_URL}/app/login`, { timeout: 240_000 })
  await warm.locator('input[name="email"]').waitFor({ timeout: 300_000 })
  await warm.close()
}

/**
 * Sets the plugin settings a spec needs (`change(settings)` gives them from
 * the current ones) and returns what puts back the values it changed.
 */
export async function changeSettings(
  token: string,
  change: (settings: Record<string, any>) => Record<string, unknown>
): Promise<() => Promise<void>> {
  const { settings } = await api("GET", "/admin/login-as-customer/settings", { token })
  const body = change(settings)
  const before = Object.fromEntries(Object.keys(body).map((name) => [name, settings[name]]))
  await api("POST", "/admin/login-as-customer/settings", { token, body })
  return async () => {
    await api("POST", "/admin/login-as-customer/settings", { token, body: before }).catch(() => undefined)
  }
}
