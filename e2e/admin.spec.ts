import fs from "fs"
import path from "path"
import type { Browser } from "playwright-core"
import { ADMIN_URL, adminPage, adminToken, api, customerId, launch, STOREFRONT_URL } from "./helpers"

jest.setTimeout(300_000)

let browser: Browser
let token: string
/** What this file changes in the shared stack, restored at the end (the specs share one stack). */
let publishableKey: string
let enabledBefore: boolean | undefined
const consentBefore: Record<string, { allowed: boolean; expires_at: string | null }> = {}

type Consent = { allowed: boolean; expires_at: string | null }

async function consent(email: string): Promise<Consent> {
  const { remote_assistance } = await api("GET", `/admin/customers/${await customerId(token, email)}/login-as-customer`, { token })
  return { allowed: remote_assistance.allowed, expires_at: remote_assistance.expires_at ?? null }
}

async function setConsent(email: string, value: Consent) {
  await api("POST", `/admin/customers/${await customerId(token, email)}/login-as-customer/remote-assistance`, {
    token,
    body: value.allowed ? { allowed: true, expires_at: value.expires_at } : { allowed: false },
  })
}

/**
 * A customer with an account who has never been asked about remote assistance
 * (john's consent is changed by other browser tests in the same stack).
 */
async function neverAsked(first: string, last: string): Promise<string> {
  const email = `${first.toLowerCase()}.${last.toLowerCase()}.${Date.now()}@example.com`
  const { token: registration } = await api("POST", "/auth/customer/emailpass/register", {
    body: { email, password: "supersecret" },
  })
  const { customer } = await api("POST", "/store/customers", {
    token: registration,
    key: publishableKey,
    body: { email, first_name: first, last_name: last },
  })
  return customer.id
}

beforeAll(async () => {
  browser = await launch()
  token = await adminToken()
  enabledBefore = (await api("GET", "/admin/login-as-customer/settings", { token })).settings.enabled
  consentBefore["jane@example.com"] = await consent("jane@example.com")
  publishableKey = fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "publishable-key.txt"), "utf8").trim()
  // Jane has allowed assistance (the admin withdraws and gives it again).
  await setConsent("jane@example.com", { allowed: true, expires_at: null })
  // The first test switches the feature on in the settings page: it starts switched off,
  // whatever a file before this one left.
  await api("POST", "/admin/login-as-customer/settings", { token, body: { enabled: false } })
})

afterAll(async () => {
  try {
    if (token) {
      for (const [email, value] of Object.entries(consentBefore)) {
        if (JSON.stringify(await consent(email)) !== JSON.stringify(value)) await setConsent(email, value)
      }
      if (enabledBefore !== undefined) {
        await api("POST", "/admin/login-as-customer/settings", { token, body: { enabled: enabledBefore } })
      }
    }
  } finally {
    await browser?.close()
  }
})

describe("Login as Customer in the admin", () => {
  it("enable → consent → log in as jane → order in her storefront → end → log and CSV", async () => {
    const { context, page } = await adminPage(browser)
    const janeId = await customerId(token, "jane@example.com")

    // Settings → Login as Customer: switch the feature on in the General section's Edit drawer.
    await page.goto(`${ADMIN_URL}/app/settings/login-as-customer`)
    const editGeneral = page.getByTestId("lac-edit-general")
    await editGeneral.waitFor({ timeout: 120_000 })
    await editGeneral.click()
    await page.getByTestId("lac-enabled").click()
    await page.getByTestId("lac-settings-save").click()
    await page.getByText("Settings saved").waitFor()
    expect((await api("GET", "/admin/login-as-customer/settings", { token })).settings.enabled).toBe(true)

    // Jane's page: the bar at the top (button and status), the card beside (consent, sessions).
    // Withdraw consent (a destructive confirmation), then allow it again (a confirmation with an optional last day).
    await page.goto(`${ADMIN_URL}/app/customers/${janeId}`)
    const bar = page.getByTestId("lac-bar")
    const widget = page.getByTestId("lac-widget")
    await widget.waitFor({ timeout: 120_000 })
    await bar.getByText("The customer allows remote shopping assistance.", { exact: true }).waitFor()
    await widget.getByRole("button", { name: "Withdraw" }).click()
    await page.getByRole("alertdialog").getByRole("button", { name: "Withdraw" }).click()
    await widget.getByText("Not allowed", { exact: true }).waitFor()
    await bar.getByText("An admin withdrew the permission for remote shopping assistance.", { exact: true }).waitFor()
    expect(await bar.getByTestId("lac-login-button").isDisabled()).toBe(true)
    expect((await consent("jane@example.com")).allowed).toBe(false)
    await widget.getByRole("button", { name: "Allow", exact: true }).click()
    const allow = page.getByTestId("lac-allow-dialog")
    await allow.waitFor()
    await allow.getByTestId("lac-allow-confirm").click()
    await allow.waitFor({ state: "detached" })
    await widget.getByText("Allowed", { exact: true }).waitFor()
    // No last day chosen: allowed until withdrawn.
    expect(await consent("jane@example.com")).toEqual({ allowed: true, expires_at: null })
    expect(await bar.getByTestId("lac-login-button").isEnabled()).toBe(true)

    // Login as Customer opens the storefront in a new tab, signed in as jane.
    await bar.getByTestId("lac-login-button").click()
    await page.getByTestId("lac-reason-input").fill("E2E ticket #1")
    // Every request the browser makes from here on, with its Referer.
    const sent: Array<{ url: string; referer: string }> = []
    context.on("request", (request) => sent.push({ url: request.url(), referer: request.headers()["referer"] ?? "" }))
    const [storefront, started] = await Promise.all([
      context.waitForEvent("page"),
      page.waitForResponse((r) => r.request().method() === "POST" && /\/login-as-customer$/.test(new URL(r.url()).pathname)),
      page.getByTestId("lac-start").click(),
    ])
    const ticket = new URLSearchParams(new URL((await started.json()).redirect_url).hash.slice(1)).get("ticket")!
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    await storefront.waitForURL(`${STOREFRONT_URL}/**`)
    await storefront.getByText("You are logged in as Jane Doe — assisted by Ada Admin").waitFor()
    expect(storefront.url()).not.toContain("ticket=")

    // Jane's cart and order, placed by the admin.
    await storefront.getByRole("button", { name: "Add to cart" }).first().click()
    await storefront.getByText("Added to cart.").waitFor()
    await storefront.getByRole("button", { name: "Place order" }).click()
    const placed = storefront.getByText(/Order #\d+ placed\./).first()
    await placed.waitFor({ timeout: 60_000 })
    const displayId = Number(/#(\d+)/.exec((await placed.textContent()) ?? "")![1])
    // The ticket travelled in the fragment: no URL and no Referer the browser sent carried it.
    expect(sent.length).toBeGreaterThan(5)
    expect(sent.filter((r) => r.url.includes(ticket) || r.referer.includes(ticket))).toEqual([])

    // The order page shows the session in progress; the admin ends it there.
    const { orders } = await api("GET", `/admin/orders?q=${displayId}&fields=id,display_id,metadata`, { token })
    const order = orders.find((o: { display_id: number }) => o.display_id === displayId)
    await page.goto(`${ADMIN_URL}/app/orders/${order.id}`)
    const orderWidget = page.getByTestId("lac-widget")
    await orderWidget.getByTestId("lac-session").first().waitFor({ timeout: 120_000 })
    expect(await orderWidget.getByTestId("lac-order-note").textContent()).toBe(
      "Placed by Ada Admin via Login as Customer"
    )
    await orderWidget.getByTestId("lac-end-session").first().click()
    await page.getByRole("alertdialog").getByRole("button", { name: "End" }).click()
    await orderWidget.getByText("No session in progress.").waitFor()

    // The storefront tab is logged out at its next request.
    await storefront.reload()
    await storefront.getByText("The assistance session has ended.").waitFor()

    // The log page lists what happened, and exports it.
    await page.goto(`${ADMIN_URL}/app/login-as-customer-log`)
    await page.getByText("Session started").first().waitFor({ timeout: 120_000 })
    await page.getByText("Order placed").first().waitFor()
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("lac-export").click()])
    const csv = await (await download.createReadStream())!.toArray()
    const text = Buffer.concat(csv).toString("utf8")
    expect(text.split("\r\n")[0]).toBe(
      "created_at,action,user_id,user_email,customer_id,customer_email,reason,mode,session_id,actor_type,actor_id,details,id"
    )
    expect(text).toContain("order_placed")
    expect(text).toContain("E2E ticket #1")

    // The order is annotated.
    const { order: annotated } = await api("GET", `/admin/orders/${order.id}?fields=id,metadata`, { token })
    expect(annotated.metadata.login_as_customer.note).toBe("Placed by Ada Admin via Login as Customer")
    await context.close()
  })

  it("jane sees the session in her account's history and withdraws consent there", async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    page.setDefaultTimeout(60_000)
    await page.goto(STOREFRONT_URL)
    await page.fill('input[name="email"]', "jane@example.com")
    await page.fill('input[name="password"]', "supersecret")
    await page.getByRole("button", { name: "Sign in" }).click()
    const history = page.locator("#history tbody tr")
    await history.first().waitFor()
    expect(await history.first().textContent()).toContain("Ada")
    expect(await history.first().textContent()).toContain("E2E ticket #1")
    expect(await page.locator("#banner").isHidden()).toBe(true)

    await page.getByLabel("Allow remote shopping assistance").uncheck()
    await page.getByRole("button", { name: "Save" }).click()
    await page.getByText("Assistance not allowed.").waitFor()
    const { remote_assistance } = await api("GET", `/admin/customers/${await customerId(token, "jane@example.com")}/login-as-customer`, { token })
    expect(remote_assistance.allowed).toBe(false)
    await context.close()
  })

  it("explains why the button can't be used for a customer who hasn't allowed assistance", async () => {
    const johnId = await neverAsked("John", "Roe")
    const { context, page } = await adminPage(browser)
    await page.goto(`${ADMIN_URL}/app/customers/${johnId}`)
    await page.getByTestId("lac-reason").waitFor({ timeout: 120_000 })
    expect(await page.getByTestId("lac-reason").textContent()).toBe(
      "The customer hasn't allowed remote shopping assistance."
    )
    expect(await page.getByTestId("lac-login-button").isDisabled()).toBe(true)
    await context.close()
  })

  it("speaks Spanish to an admin who chose Spanish", async () => {
    const johnId = await neverAsked("Juan", "Perez")
    const { context, page } = await adminPage(browser, { language: "es" })
    await page.goto(`${ADMIN_URL}/app/customers/${johnId}`)
    const widget = page.getByTestId("lac-widget")
    await widget.waitFor({ timeout: 120_000 })
    await widget.getByRole("heading", { name: "Iniciar sesión como cliente" }).waitFor()
    await widget.getByText("Permitir asistencia remota para compras").waitFor()
    expect(await page.getByTestId("lac-reason").textContent()).toBe(
      "El cliente no ha permitido la asistencia remota para compras."
    )
    await context.close()
  })

  it("renders a hostile customer name as text", async () => {
    const hostile = "<img src=x onerror=alert(1)>"
    const { customer } = await api("POST", "/admin/customers", {
      token,
      body: { email: "hostile@example.com", first_name: hostile, last_name: "Doe" },
    })
    const { context, page } = await adminPage(browser)
    const dialogs: string[] = []
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message())
      dialog.dismiss().catch(() => undefined)
    })
    await page.goto(`${ADMIN_URL}/app/customers/${customer.id}`)
    // A guest customer (no account): the widget explains, and the name stays text.
    await page.getByTestId("lac-widget").waitFor({ timeout: 120_000 })
    await page.getByText(hostile).first().waitFor()
    expect(dialogs).toEqual([])
    await context.close()
  })

  it("shows no button to an admin without a grant", async () => {
    await api("POST", "/admin/login-as-customer/settings", { token, body: { access: "selected_admins" } })
    try {
      const invite = await api("POST", "/admin/invites", { token, body: { email: "clerk@example.com" } })
      const registration = await api("POST", "/auth/user/emailpass/register", {
        body: { email: "clerk@example.com", password: "supersecret" },
      })
      await api("POST", `/admin/invites/accept?token=${invite.invite.token}`, {
        token: registration.token,
        body: { first_name: "Cleo", last_name: "Clerk" },
      })
      const { context, page } = await adminPage(browser, { email: "clerk@example.com" })
      const janeId = await customerId(token, "jane@example.com")
      await page.goto(`${ADMIN_URL}/app/customers/${janeId}`)
      // The page itself renders (jane's name), but no Login as Customer widget.
      await page.getByText("jane@example.com").first().waitFor({ timeout: 120_000 })
      await page.waitForTimeout(2000)
      expect(await page.getByTestId("lac-widget").count()).toBe(0)
      expect(await page.getByTestId("lac-bar").count()).toBe(0)
      expect(await page.getByTestId("lac-login-button").count()).toBe(0)
      await context.close()
    } finally {
      await api("POST", "/admin/login-as-customer/settings", { token, body: { access: "all_admins" } })
    }
  })
})
