import fs from "fs"
import path from "path"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { ADMIN_URL, adminPage, adminToken, annotatedOrder, api, launch, placeOrderThroughStore } from "./helpers"

jest.setTimeout(300_000)

let browser: Browser
let token: string
let publishableKey: string
let settingsBefore: { enabled: boolean; ticket_ttl_seconds: number }

/** Console errors and uncaught exceptions of every admin page, checked at the end. */
const consoleErrors: string[] = []

function watchConsole(page: Page) {
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${message.location().url}: ${message.text()}`)
  })
  page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: ${error.message}`))
}

async function openAdmin(options: { language?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await adminPage(browser, options)
  watchConsole(opened.page)
  return opened
}

/**
 * Errors raised by the plugin's code or about its routes. The one refusal the
 * tests provoke on purpose (End of an ended session, 409) is expected.
 */
const fromPlugin = (line: string) =>
  /login-as-customer|loginAsCustomer|src\/admin/i.test(line) && !/status of 409/.test(line)

/** A customer with an account (registered through the store API), consent given by an admin. */
async function accountCustomer(first: string, last: string): Promise<{ id: string; email: string }> {
  const email = `${first.toLowerCase()}.${last.toLowerCase()}.${Date.now()}@example.com`
  const { token: registration } = await api("POST", "/auth/customer/emailpass/register", {
    body: { email, password: "supersecret" },
  })
  const { customer } = await api("POST", "/store/customers", {
    token: registration,
    key: publishableKey,
    body: { email, first_name: first, last_name: last },
  })
  await api("POST", `/admin/customers/${customer.id}/login-as-customer/remote-assistance`, {
    token,
    body: { allowed: true },
  })
  return { id: customer.id, email }
}

/** Starts a session as admin@example.com over the API: the pending session and its ticket. */
async function startSession(customerId: string): Promise<{ sessionId: string; ticket: string }> {
  const started = await api("POST", `/admin/customers/${customerId}/login-as-customer`, { token, body: {} })
  const ticket = new URLSearchParams(new URL(started.redirect_url).hash.slice(1)).get("ticket")!
  return { sessionId: started.session_id, ticket }
}

/** What the storefront does with the ticket: the impersonation token. */
async function exchange(ticket: string): Promise<string> {
  return (await api("POST", "/store/login-as-customer/sessions", { key: publishableKey, body: { ticket } })).token
}

/** An order placed in the session, as the reference storefront places it; its id once the plugin has annotated it. */
async function placeOrderInSession(impersonationToken: string): Promise<string> {
  const order = await placeOrderThroughStore({ token: impersonationToken, key: publishableKey })
  return annotatedOrder(order.id, token)
}

/** The storefront's "End session". */
async function logoutFromStorefront(impersonationToken: string) {
  await api("DELETE", "/store/login-as-customer/session", { token: impersonationToken, key: publishableKey })
}

beforeAll(async () => {
  browser = await launch()
  token = await adminToken()
  publishableKey = fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "publishable-key.txt"), "utf8").trim()
  settingsBefore = (await api("GET", "/admin/login-as-customer/settings", { token })).settings
  // Tickets live 10 minutes here: a first admin page load can take longer than the default minute.
  await api("POST", "/admin/login-as-customer/settings", { token, body: { enabled: true, ticket_ttl_seconds: 600 } })
})

afterAll(async () => {
  // Leaves the feature as the other specs expect to find it.
  if (settingsBefore) {
    await api("POST", "/admin/login-as-customer/settings", {
      token,
      body: { enabled: settingsBefore.enabled, ticket_ttl_seconds: settingsBefore.ticket_ttl_seconds },
    })
  }
  await browser?.close()
})

describe("The Login as Customer widget stays live", () => {
  it("goes from waiting for the storefront to active, then to no session, without a reload", async () => {
    const customer = await accountCustomer("Wanda", "Waiting")
    const { context, page } = await openAdmin()
    const { ticket } = await startSession(customer.id)
    await page.goto(`${ADMIN_URL}/app/customers/${customer.id}`)
    const widget = page.getByTestId("lac-widget")
    const session = widget.getByTestId("lac-session")
    await session.getByText("waiting for the storefront").waitFor({ timeout: 120_000 })

    const impersonation = await exchange(ticket)
    // Within the polling interval, no navigation.
    await session.getByText(/^since /).waitFor({ timeout: 20_000 })
    expect(await session.getByText("waiting for the storefront").count()).toBe(0)

    await logoutFromStorefront(impersonation)
    await widget.getByText("No session in progress.").waitFor({ timeout: 30_000 })
    expect(await widget.getByTestId("lac-end-session").count()).toBe(0)
    await context.close()
  })

  it("says so when End meets a session that had already ended", async () => {
    const customer = await accountCustomer("Stella", "Stale")
    const { context, page } = await openAdmin()
    const { ticket } = await startSession(customer.id)
    const impersonation = await exchange(ticket)
    await page.goto(`${ADMIN_URL}/app/customers/${customer.id}`)
    const widget = page.getByTestId("lac-widget")
    await widget.getByTestId("lac-end-session").waitFor({ timeout: 120_000 })

    // The admin asks to end it; meanwhile the storefront ends it.
    await widget.getByTestId("lac-end-session").click()
    const confirm = page.getByRole("alertdialog")
    await confirm.waitFor()
    await logoutFromStorefront(impersonation)
    await confirm.getByRole("button", { name: "End" }).click()

    await page.getByText("This session had already ended (logged out from the storefront)").waitFor({ timeout: 15_000 })
    expect(await page.getByText("Session ended", { exact: true }).count()).toBe(0)
    await widget.getByText("No session in progress.").waitFor({ timeout: 15_000 })
    await context.close()
  })

  it("warns in the start dialog that the admin's session with another customer ends, naming her", async () => {
    const previous = await accountCustomer("Priya", "Previous")
    const next = await accountCustomer("Nora", "Next")
    const { context, page } = await openAdmin()
    await exchange((await startSession(previous.id)).ticket)
    await page.goto(`${ADMIN_URL}/app/customers/${next.id}`)
    await page.getByTestId("lac-login-button").click()
    const dialog = page.getByTestId("lac-dialog")
    const warning = dialog.getByTestId("lac-previous-session")
    await warning.waitFor()
    await warning.getByText(/Priya Previous/).waitFor()
    expect(await warning.textContent()).toBe("Your session in progress with Priya Previous ends when this one opens.")
    await dialog.getByRole("button", { name: "Cancel" }).click()
    await context.close()
  })

  it("keeps Start off until it knows whether the admin's session in progress ends (a slow answer can't hide the warning)", async () => {
    const previous = await accountCustomer("Paula", "Pending")
    const next = await accountCustomer("Nina", "Now")
    const { context, page } = await openAdmin()
    await exchange((await startSession(previous.id)).ticket)
    // Who the admin is (asked by the widgets after the admin's own first ask) and
    // the dialog's check of their session in progress both answer late.
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    let asks = 0
    await page.route(/\/admin\/users\/me(\?|$)/, async (route) => {
      if (++asks > 1) await held
      await route.continue()
    })
    await page.goto(`${ADMIN_URL}/app/customers/${next.id}`)
    await page.getByTestId("lac-login-button").waitFor({ timeout: 120_000 })
    await page.route(/\/admin\/login-as-customer\/sessions\?.*active=true/, async (route) => {
      await held
      await route.continue()
    })
    await page.getByTestId("lac-login-button").click()
    const dialog = page.getByTestId("lac-dialog")
    await dialog.waitFor()
    const start = dialog.getByTestId("lac-start")
    const reason = dialog.locator("#lac-reason")
    await reason.fill("Ticket 88")
    expect(await start.isDisabled()).toBe(true)
    release()
    await dialog.getByTestId("lac-previous-session").getByText(/Paula Pending/).waitFor()
    await page.waitForFunction(() => !document.querySelector('[data-testid="lac-start"]')?.hasAttribute("disabled"))
    await dialog.getByRole("button", { name: "Cancel" }).click()
    await context.close()
  })

  it("puts the button and its status in a bar at the top of the customer and order pages; details stay in the side card", async () => {
    const customer = await accountCustomer("Barbara", "Bar")
    const { ticket } = await startSession(customer.id)
    const impersonation = await exchange(ticket)
    const orderId = await placeOrderInSession(impersonation)
    await logoutFromStorefront(impersonation)
    const { context, page } = await openAdmin()

    const expectBarFirst = async () => {
      const bar = page.getByTestId("lac-bar")
      await bar.waitFor({ timeout: 120_000 })
      await bar.getByTestId("lac-login-button").waitFor()
      await page.getByTestId("lac-widget").waitFor()
      // The bar is above every other section of the page's main column (and the side card isn't in it).
      const layout = await bar.evaluate((element) => {
        const column = element.parentElement!
        const top = element.getBoundingClientRect()
        const others = Array.from(column.children)
          .filter((child) => child !== element && (child as HTMLElement).offsetHeight > 0)
          .map((child) => child.getBoundingClientRect().top)
        return { barBottom: top.bottom, othersTop: Math.min(...others), others: others.length }
      })
      expect(layout.others).toBeGreaterThan(0)
      expect(layout.barBottom).toBeLessThanOrEqual(layout.othersTop)
      const card = await page.getByTestId("lac-widget").boundingBox()
      const barBox = await bar.boundingBox()
      expect(barBox!.y).toBeLessThan(card!.y)
      expect(await page.getByTestId("lac-widget").getByTestId("lac-login-button").count()).toBe(0)
    }

    await page.goto(`${ADMIN_URL}/app/customers/${customer.id}`)
    await expectBarFirst()
    await page.getByTestId("lac-widget").getByTestId("lac-consent").waitFor()

    await page.goto(`${ADMIN_URL}/app/orders/${orderId}`)
    await expectBarFirst()
    await page.getByTestId("lac-widget").getByTestId("lac-order-note").waitFor()

    // On a phone the bar is still the first thing under the page header.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${ADMIN_URL}/app/customers/${customer.id}`)
    await expectBarFirst()
    await context.close()
  })

  it("says an admin withdrew the consent, not the customer", async () => {
    const customer = await accountCustomer("Walter", "Withdrawn")
    await api("POST", `/admin/customers/${customer.id}/login-as-customer/remote-assistance`, {
      token,
      body: { allowed: false },
    })
    const { context, page } = await openAdmin()
    await page.goto(`${ADMIN_URL}/app/customers/${customer.id}`)
    const reason = page.getByTestId("lac-reason")
    await reason.waitFor({ timeout: 120_000 })
    expect(await reason.textContent()).toBe("An admin withdrew the permission for remote shopping assistance.")
    expect(await page.getByTestId("lac-consent-by").textContent()).toMatch(/^withdrawn by an admin/)
    expect(await page.getByTestId("lac-login-button").isDisabled()).toBe(true)
    await context.close()
  })

  it("allows assistance with a last day from a non-destructive dialog, and shows the day", async () => {
    const customer = await accountCustomer("Dora", "Dated")
    await api("POST", `/admin/customers/${customer.id}/login-as-customer/remote-assistance`, {
      token,
      body: { allowed: false },
    })
    const { context, page } = await openAdmin()
    await page.goto(`${ADMIN_URL}/app/customers/${customer.id}`)
    const widget = page.getByTestId("lac-widget")
    await widget.getByRole("button", { name: "Allow" }).click({ timeout: 120_000 })
    const dialog = page.getByRole("alertdialog")
    await dialog.waitFor()
    const confirm = dialog.getByRole("button", { name: "Allow" })
    // Medusa's danger buttons are red (bg-ui-button-danger); allowing isn't a deletion.
    expect(await confirm.getAttribute("class")).not.toContain("danger")
    expect(await confirm.getAttribute("class")).toContain("bg-ui-button-inverted")

    const year = new Date().getFullYear() + 2
    await dialog.getByRole("spinbutton").first().click()
    await page.keyboard.type(`0615${year}`)
    await confirm.click()
    await dialog.waitFor({ state: "hidden" })
    await widget.getByText(`until Jun 15, ${year}`, { exact: false }).waitFor()

    const { remote_assistance } = await api("GET", `/admin/customers/${customer.id}/login-as-customer`, { token })
    const until = new Date(remote_assistance.expires_at)
    expect({ allowed: remote_assistance.allowed, month: until.getMonth(), day: until.getDate(), year: until.getFullYear() }).toEqual({
      allowed: true,
      month: 5,
      day: 15,
      year,
    })
    await context.close()
  })

  it("renders the order note in the admin's language from the facts the order stores", async () => {
    const customer = await accountCustomer("Olga", "Orden")
    const { ticket } = await startSession(customer.id)
    const impersonation = await exchange(ticket)
    const orderId = await placeOrderInSession(impersonation)
    await logoutFromStorefront(impersonation)
    const { order } = await api("GET", `/admin/orders/${orderId}?fields=id,metadata`, { token })
    expect(order.metadata.login_as_customer.note).toBe("Placed by Ada Admin via Login as Customer")

    const { context, page } = await openAdmin({ language: "es" })
    await page.goto(`${ADMIN_URL}/app/orders/${orderId}`)
    const note = page.getByTestId("lac-order-note")
    await note.waitFor({ timeout: 120_000 })
    expect(await note.textContent()).toBe("Pedido realizado por Ada Admin con Iniciar sesión como cliente")
    await context.close()
  })

  it("logged no console error from the plugin", () => {
    expect(consoleErrors.filter(fromPlugin)).toEqual([])
  })
})
