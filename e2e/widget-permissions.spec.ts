import fs from "fs"
import path from "path"
import type { Browser, Page } from "playwright-core"
import { ADMIN_URL, adminPage, adminToken, api, changeSettings, launch, pluginErrors } from "./helpers"

jest.setTimeout(300_000)

// The customer page as admins with part of the permissions see it, with the
// plugin's own grants deciding (access "selected_admins"; Medusa's RBAC flag
// off, as in the demo). With RBAC on, the same `permissions` come from the
// admin's roles (integration-tests/http/permissions).

let browser: Browser
let token: string
let publishableKey: string
let restoreSettings: () => Promise<void>
const cleanup: Array<() => Promise<unknown>> = []

/** A new admin, invited and signed up over the API, with the plugin grant given. */
async function adminWithGrant(name: string, grant: { can_login: boolean; can_view_log: boolean }) {
  const email = `${name}.${Date.now()}@example.com`
  const invite = await api("POST", "/admin/invites", { token, body: { email } })
  const registration = await api("POST", "/auth/user/emailpass/register", { body: { email, password: "supersecret" } })
  const { user } = await api("POST", `/admin/invites/accept?token=${invite.invite.token}`, {
    token: registration.token,
    body: { first_name: name, last_name: "Tester" },
  })
  await api("POST", `/admin/login-as-customer/grants/${user.id}`, { token, body: grant })
  return { email, id: user.id }
}

/** A customer with an account and consent given, helped by admin@example.com in a session that waits for the storefront. */
async function customerBeingHelped(): Promise<{ id: string; email: string }> {
  const email = `helped.${Date.now()}@example.com`
  const { token: registration } = await api("POST", "/auth/customer/emailpass/register", { body: { email, password: "supersecret" } })
  const { customer } = await api("POST", "/store/customers", {
    token: registration,
    key: publishableKey,
    body: { email, first_name: "Hana", last_name: "Helped" },
  })
  await api("POST", `/admin/customers/${customer.id}/login-as-customer/remote-assistance`, { token, body: { allowed: true } })
  const started = await api("POST", `/admin/customers/${customer.id}/login-as-customer`, { token, body: {} })
  cleanup.push(() => api("POST", `/admin/login-as-customer/sessions/${started.session_id}/end`, { token }).catch(() => undefined))
  return { id: customer.id, email }
}

/** Opens the customer's page and waits until the page's own details are drawn. */
async function openCustomer(page: Page, customer: { id: string; email: string }) {
  await page.goto(`${ADMIN_URL}/app/customers/${customer.id}`)
  await page.getByText(customer.email).first().waitFor({ timeout: 120_000 })
}

beforeAll(async () => {
  browser = await launch()
  token = await adminToken()
  publishableKey = fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "publishable-key.txt"), "utf8").trim()
  const { user } = await api("GET", "/admin/users/me", { token })
  const { grants } = await api("GET", "/admin/login-as-customer/grants", { token })
  const ownGrant = grants.find((g: { user_id: string }) => g.user_id === user.id)
  // admin@example.com keeps logging in under selected_admins (it starts the session watched here).
  await api("POST", `/admin/login-as-customer/grants/${user.id}`, { token, body: { can_login: true, can_view_log: true } })
  cleanup.push(() =>
    api("POST", `/admin/login-as-customer/grants/${user.id}`, {
      token,
      body: { can_login: ownGrant?.can_login ?? false, can_view_log: ownGrant?.can_view_log ?? false },
    })
  )
  restoreSettings = await changeSettings(token, () => ({ enabled: true, access: "selected_admins" }))
})

afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
  await restoreSettings?.()
  await browser?.close()
})

describe("the customer page's Login as Customer card by permission", () => {
  it("shows an admin who may view the log but not log in the consent, the session in progress and the log link, and the button off with the reason", async () => {
    const customer = await customerBeingHelped()
    const customerId = customer.id
    const viewer = await adminWithGrant("Vera", { can_login: false, can_view_log: true })
    const { context, page } = await adminPage(browser, { email: viewer.email })
    const errors = pluginErrors(page)
    await openCustomer(page, customer)

    const card = page.getByTestId("lac-widget")
    await card.waitFor({ timeout: 60_000 })
    expect(await card.getByTestId("lac-consent").getByText("Allowed", { exact: true }).count()).toBe(1)
    // Who is helping: admin@example.com's session, waiting for the storefront; not theirs to end.
    const session = card.getByTestId("lac-session")
    await session.waitFor()
    expect(await session.count()).toBe(1)
    expect(await session.textContent()).toContain("waiting for the storefront")
    expect(await card.getByTestId("lac-end-session").count()).toBe(0)
    // Consent is the customer's to change, or a login admin's: no Withdraw here.
    expect(await card.getByRole("button", { name: "Withdraw" }).count()).toBe(0)
    const link = card.getByTestId("lac-widget-log-link")
    expect(new URL((await link.getAttribute("href"))!, ADMIN_URL).searchParams.get("customer_id")).toBe(customerId)

    // The button, off, with why in words.
    const bar = page.getByTestId("lac-bar")
    await bar.waitFor()
    expect(await bar.getByTestId("lac-login-button").isDisabled()).toBe(true)
    expect(await bar.getByTestId("lac-reason").textContent()).toBe("You don't have permission to log in as customers.")

    await link.click()
    await page.waitForURL((url) => url.pathname.endsWith("/login-as-customer-log") && url.searchParams.get("customer_id") === customerId)
    expect(errors).toEqual([])
    await context.close()
  })

  it("shows an admin with neither permission no Login as Customer card and no bar, like the order and draft order pages", async () => {
    const customer = await customerBeingHelped()
    const customerId = customer.id
    const clerk = await adminWithGrant("Cleo", { can_login: false, can_view_log: false })
    const { context, page } = await adminPage(browser, { email: clerk.email })
    const widgetAnswer = page.waitForResponse((r) => r.url().includes(`/admin/customers/${customerId}/login-as-customer`))
    await openCustomer(page, customer)
    const answer = await widgetAnswer
    expect(answer.status()).toBe(200)
    expect((await answer.json()).active_sessions).toEqual([])
    // Drawn from that answer (two frames later): nothing.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    expect(await page.getByTestId("lac-widget").count()).toBe(0)
    expect(await page.getByTestId("lac-bar").count()).toBe(0)
    await context.close()
  })
})
