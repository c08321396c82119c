// What the reference storefront's specs share: Chromium, the admin's token, the
// demo's publishable key, customers with consent, sessions started by the admin,
// pages that record the browser's errors.
import fs from "fs"
import path from "path"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { adminToken, api, customerId, launch, STOREFRONT_URL } from "./helpers"

export const PASSWORD = "supersecret"
export const TOKEN_KEY = "lac_demo_token"
export const CART_KEY = "lac_demo_cart"

export type Shop = { browser: Browser; token: string; publishableKey: string }

/** Registers the spec's beforeAll/afterAll: the feature on while it runs, then as it was. */
export function useShop(): Shop {
  const shop = {} as Shop
  let enabledBefore = false
  beforeAll(async () => {
    shop.browser = await launch()
    shop.token = await adminToken()
    shop.publishableKey = fs
      .readFileSync(path.join(process.env.E2E_DATA_DIR || ".e2e", "publishable-key.txt"), "utf8")
      .trim()
    enabledBefore = (await api("GET", "/admin/login-as-customer/settings", { token: shop.token })).settings.enabled
    await api("POST", "/admin/login-as-customer/settings", { token: shop.token, body: { enabled: true } })
  })
  afterAll(async () => {
    // Other specs run on the same stack: leave the feature as it was found.
    if (shop.token) {
      await api("POST", "/admin/login-as-customer/settings", { token: shop.token, body: { enabled: enabledBefore } })
    }
    await shop.browser?.close()
  })
  return shop
}

export async function customerToken(email: string): Promise<string> {
  return (await api("POST", "/auth/customer/emailpass", { body: { email, password: PASSWORD } })).token
}

export async function setConsent(shop: Shop, email: string, allowed: boolean) {
  await api("POST", "/store/customers/me/remote-assistance", {
    token: await customerToken(email),
    key: shop.publishableKey,
    body: { allowed },
  })
}

/** A customer with an account and a password, who allows remote assistance; their id. */
export async function createCustomer(shop: Shop, email: string, first_name: string, last_name: string) {
  const registration = await api("POST", "/auth/customer/emailpass/register", {
    body: { email, password: PASSWORD },
  })
  await api("POST", "/store/customers", {
    token: registration.token,
    key: shop.publishableKey,
    body: { email, first_name, last_name },
  })
  await setConsent(shop, email, true)
  return customerId(shop.token, email)
}

/** The admin starts a session: its login URL (ticket in the fragment) and id. */
export async function start(shop: Shop, customer: string, body: Record<string, unknown> = {}) {
  const started = await api("POST", `/admin/customers/${customer}/login-as-customer`, { token: shop.token, body })
  return { url: started.redirect_url as string, sessionId: started.session_id as string }
}

/** What the storefront does with the login URL, done over HTTP: the customer token. */
export async function exchange(shop: Shop, url: string): Promise<string> {
  const ticket = new URLSearchParams(new URL(url).hash.slice(1)).get("ticket")
  const exchanged = await api("POST", "/store/login-as-customer/sessions", { key: shop.publishableKey, body: { ticket } })
  return exchanged.token
}

export const endByAdmin = (shop: Shop, sessionId: string) =>
  api("POST", `/admin/login-as-customer/sessions/${sessionId}/end`, { token: shop.token })

/** A page that records what the browser reports as errors. */
export async function openPage(context: BrowserContext) {
  const page = await context.newPage()
  page.setDefaultTimeout(60_000)
  const errors: string[] = []
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text())
  })
  page.on("pageerror", (error) => errors.push(String(error)))
  return { page, errors }
}

/** Signs the customer in on the storefront's own form; resolves once the account is drawn. */
export async function signIn(page: Page, email: string) {
  await page.goto(STOREFRONT_URL)
  await page.fill('input[name="email"]', email)
  await page.fill('input[name="password"]', PASSWORD)
  await page.getByRole("button", { name: "Sign in" }).click()
  await page.locator("#consent-status").filter({ hasText: /\S/ }).waitFor()
}

export const stored = (page: Page) =>
  page.evaluate(([tokenKey, cartKey]) => ({
    token: window.sessionStorage.getItem(tokenKey),
    cart: window.sessionStorage.getItem(cartKey),
  }), [TOKEN_KEY, CART_KEY])
