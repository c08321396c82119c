import type { Browser, Locator, Page } from "playwright-core"
import { ADMIN_URL, adminPage, adminToken, api, customerId, launch } from "./helpers"

jest.setTimeout(300_000)

const LOG_URL = `${ADMIN_URL}/app/login-as-customer-log`

let browser: Browser
let token: string
let wasEnabled: boolean
const consentBefore: Record<string, { allowed: boolean; expires_at?: string | null }> = {}
const stamp = Date.now()
const ticketRef = `ZD-${stamp}`
const auditor = { email: `auditor.${stamp}@example.com`, first_name: "Quinn", last_name: `Auditor${stamp}` }

/** Console errors and uncaught exceptions that come from the plugin's pages or routes. */
function pluginErrors(page: Page): string[] {
  const errors: string[] = []
  const fromPlugin = (text: string) => /login-as-customer|loginAsCustomer|src\/admin\//i.test(text)
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

/** The log page, its table loaded. */
async function openLog(page: Page): Promise<Locator> {
  await page.goto(LOG_URL)
  const rows = page.locator("tbody tr")
  await rows.first().waitFor({ timeout: 120_000 })
  return rows
}

/** The next answer of the log list (not the export, not the stats). */
function nextList(page: Page) {
  return page.waitForResponse((r) => new URL(r.url()).pathname === "/admin/login-as-customer/log")
}

/** Adds a filter from the toolbar's filter menu and returns its open popover. */
async function addFilter(page: Page, label: string): Promise<Locator> {
  // The toolbar's first button, next to the export link, opens the filter menu.
  await page.getByTestId("lac-export").locator("xpath=..").getByRole("button").first().click()
  await page.getByRole("menuitem", { name: label }).click()
  const popover = page.getByRole("dialog").last()
  await popover.waitFor()
  return popover
}

/** Picks a value in a filter popover: types into its search field, then clicks the matching option. */
async function pick(popover: Locator, term: string, option: string | RegExp) {
  const search = popover.locator("input").first()
  if (await search.count()) await search.fill(term)
  await popover.getByText(option).first().click()
}

beforeAll(async () => {
  browser = await launch()
  token = await adminToken()
  // The admin's first load is built on demand (vite), slow on a busy machine: once here, for every test.
  const warm = await browser.newPage()
  await warm.goto(`${ADMIN_URL}/app/login`, { timeout: 240_000 })
  await warm.locator('input[name="email"]').waitFor({ timeout: 300_000 })
  await warm.close()
  const { settings } = await api("GET", "/admin/login-as-customer/settings", { token })
  wasEnabled = settings.enabled
  await api("POST", "/admin/login-as-customer/settings", { token, body: { enabled: true, access: "all_admins" } })

  // A second admin, who starts a read-only session for jane with a ticket reference.
  const invite = await api("POST", "/admin/invites", { token, body: { email: auditor.email } })
  const registration = await api("POST", "/auth/user/emailpass/register", {
    body: { email: auditor.email, password: "supersecret" },
  })
  await api("POST", `/admin/invites/accept?token=${invite.invite.token}`, {
    token: registration.token,
    body: { first_name: auditor.first_name, last_name: auditor.last_name },
  })
  const auditorToken = await adminToken(auditor.email)
  const janeId = await customerId(token, "jane@example.com")
  const johnId = await customerId(token, "john@example.com")
  for (const id of [janeId, johnId]) {
    consentBefore[id] = (await api("GET", `/admin/customers/${id}/login-as-customer`, { token })).remote_assistance
  }
  await api("POST", `/admin/customers/${janeId}/login-as-customer/remote-assistance`, { token, body: { allowed: true } })
  await api("POST", `/admin/customers/${janeId}/login-as-customer`, {
    token: auditorToken,
    body: { reason: `Customer called, ticket ${ticketRef}`, mode: "read_only" },
  })
  // The first admin changes john's consent: a line of another admin, about another customer.
  await api("POST", `/admin/customers/${johnId}/login-as-customer/remote-assistance`, { token, body: { allowed: false } })
})

afterAll(async () => {
  // The browser specs share one stack: jane's and john's consent as this file found them.
  for (const [id, before] of Object.entries(consentBefore)) {
    const body = before.allowed ? { allowed: true, expires_at: before.expires_at ?? null } : { allowed: false }
    await api("POST", `/admin/customers/${id}/login-as-customer/remote-assistance`, { token, body }).catch(() => undefined)
  }
  if (token && wasEnabled === false) {
    await api("POST", "/admin/login-as-customer/settings", { token, body: { enabled: false } }).catch(() => undefined)
  }
  await browser?.close()
})

describe("The Login as Customer log page", () => {
  it("opens an entry in a drawer with its real action, date, admin and details", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    const rows = await openLog(page)
    await rows.filter({ hasText: "Login requested" }).first().click()
    const drawer = page.getByTestId("lac-log-drawer")
    await drawer.waitFor()
    await drawer.getByRole("heading", { name: "Login requested" }).waitFor()
    const text = (await drawer.textContent()) ?? ""
    expect(text).not.toContain("Invalid Date")
    expect(text).not.toContain("loginAsCustomer.log.actions")
    expect(text).toContain(auditor.email)
    expect(text).toContain("jane@example.com")
    expect(text).toContain(ticketRef)
    expect(text).toContain("read_only")
    expect(text).toMatch(new RegExp(String(new Date().getFullYear())))
    expect(errors).toEqual([])
    await context.close()
  })

  it("filters by an admin and by a customer picked by name or email", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    await openLog(page)

    const admins = await addFilter(page, "Admin")
    const byAdmin = nextList(page)
    await pick(admins, auditor.email, auditor.email)
    const answer = await byAdmin
    expect(new URL(answer.url()).search).toContain("user_id")
    expect(answer.status()).toBe(200)
    await page.keyboard.press("Escape")
    const rows = page.locator("tbody tr")
    await rows.filter({ hasText: ticketRef }).first().waitFor()
    expect((await rows.allTextContents()).every((text) => text.includes(auditor.email))).toBe(true)
    expect(await page.getByText("Nothing logged yet.").count()).toBe(0)

    // Several admins at once: the picker searches by name.
    await page.getByRole("button", { name: new RegExp(auditor.last_name) }).click()
    const again = page.getByRole("dialog").last()
    const both = nextList(page)
    await pick(again, "Ada", "admin@example.com")
    expect((await both).status()).toBe(200)
    await page.keyboard.press("Escape")
    await rows.filter({ hasText: "Consent changed" }).first().waitFor()

    // Clear, then a customer picked by name.
    await page.getByRole("button", { name: "Clear all" }).click()
    const customers = await addFilter(page, "Customer")
    const byCustomer = nextList(page)
    await pick(customers, "John", /john@example\.com/)
    expect((await byCustomer).status()).toBe(200)
    await page.keyboard.press("Escape")
    await rows.filter({ hasText: "john@example.com" }).first().waitFor()
    const texts = await rows.allTextContents()
    expect(texts.length).toBeGreaterThan(0)
    expect(texts.every((t) => t.includes("john@example.com"))).toBe(true)
    expect(errors).toEqual([])
    await context.close()
  })

  it("exports the entries of two actions as a CSV file", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    await openLog(page)
    const actions = await addFilter(page, "Action")
    await actions.getByText("Login requested").click()
    const listed = nextList(page)
    await actions.getByText("Consent changed").click()
    expect((await listed).status()).toBe(200)
    await page.keyboard.press("Escape")

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("lac-export").click()])
    expect(download.suggestedFilename()).toMatch(/^login-as-customer-log-.+\.csv$/)
    expect(await download.failure()).toBeNull()
    const chunks = await (await download.createReadStream())!.toArray()
    const lines = Buffer.concat(chunks).toString("utf8").trim().split("\r\n")
    expect(lines[0]).toBe(
      "created_at,action,user_id,user_email,customer_id,customer_email,session_id,actor_type,actor_id,details,id"
    )
    const actionsInCsv = new Set(lines.slice(1).map((line) => line.split(",")[1]))
    expect(actionsInCsv).toEqual(new Set(["ticket_issued", "assistance_updated"]))
    expect(lines.some((line) => line.includes(ticketRef))).toBe(true)
    expect(errors).toEqual([])
    await context.close()
  })

  it("says when no entry matches the filters, and clears them", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    const rows = await openLog(page)
    const before = await rows.count()
    const searched = nextList(page)
    await page.getByRole("searchbox").fill("no-such-entry-anywhere")
    expect((await searched).status()).toBe(200)
    await page.getByText("No entries match these filters").waitFor()
    expect(await page.getByText("Nothing logged yet.").count()).toBe(0)
    await page.getByRole("button", { name: "Clear filters" }).click()
    await rows.nth(before - 1).waitFor()
    expect(await page.getByRole("searchbox").inputValue()).toBe("")
    expect(errors).toEqual([])
    await context.close()
  })

  it("finds an entry by the ticket reference in its reason and by the admin's name", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    const rows = await openLog(page)
    const byReason = nextList(page)
    await page.getByRole("searchbox").fill(ticketRef)
    expect((await byReason).status()).toBe(200)
    await rows.filter({ hasText: "Login requested" }).filter({ hasText: "Read-only" }).first().waitFor()
    const found = await rows.allTextContents()
    expect(found.every((text) => text.includes(ticketRef) && text.includes(auditor.email))).toBe(true)

    const byName = nextList(page)
    await page.getByRole("searchbox").fill(auditor.last_name)
    expect((await byName).status()).toBe(200)
    await rows.filter({ hasText: ticketRef }).first().waitFor()
    expect(errors).toEqual([])
    await context.close()
  })

  it("shows each action's full label, the reason and the mode, and a dated chart across the page", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    const rows = await openLog(page)
    const headers = (await page.locator("thead th").allTextContents()).map((h) => h.trim())
    const actionColumn = headers.indexOf("Action") + 1
    const cells = rows.locator(`td:nth-child(${actionColumn})`)
    const labels = (await cells.allTextContents()).map((t) => t.trim())
    expect(labels).toEqual(expect.arrayContaining(["Login requested", "Consent changed", "Settings changed"]))
    // No cell's text is cut: every element in it shows all of its content.
    const cut = await cells.evaluateAll((tds) =>
      tds
        .filter((td) => [td, ...Array.from(td.querySelectorAll("*"))].some((el) => el.scrollWidth > el.clientWidth + 1))
        .map((td) => td.textContent)
    )
    expect(cut).toEqual([])
    expect(headers).toEqual(expect.arrayContaining(["Action", "Reason", "Mode"]))

    const chart = page.getByTestId("lac-chart")
    await chart.waitFor()
    const ticks = await chart.getByTestId("lac-chart-tick").allTextContents()
    expect(ticks.length).toBeGreaterThanOrEqual(3)
    const today = new Date().toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" })
    expect(ticks).toContain(today)
    // Across its card (less the card's padding and the scale), not a fixed 600 px.
    const chartBox = (await chart.locator("svg").boundingBox())!
    const cardBox = (await chart.locator("xpath=..").boundingBox())!
    expect(chartBox.width).toBeGreaterThan(cardBox.width * 0.85)
    expect(chartBox.width).toBeGreaterThan(600)
    expect(errors).toEqual([])
    await context.close()
  })
})
