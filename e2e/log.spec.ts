import fs from "fs"
import path from "path"
import type { Browser, Locator, Page } from "playwright-core"
import { ADMIN_URL, adminPage, adminToken, api, changeSettings, customerId, launch, pluginErrors, warmAdmin } from "./helpers"

jest.setTimeout(300_000)

const LOG_URL = `${ADMIN_URL}/app/login-as-customer-log`

let browser: Browser
let token: string
let restoreSettings: (() => Promise<void>) | undefined
const consentBefore: Record<string, { allowed: boolean; expires_at?: string | null }> = {}
const stamp = Date.now()
const ticketRef = `ZD-${stamp}`
const auditor = { email: `auditor.${stamp}@example.com`, first_name: "Quinn", last_name: `Auditor${stamp}` }

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
  await warmAdmin(browser)
  restoreSettings = await changeSettings(token, () => ({ enabled: true, access: "all_admins" }))

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
  const started = await api("POST", `/admin/customers/${janeId}/login-as-customer`, {
    token: auditorToken,
    body: { reason: `Customer called, ticket ${ticketRef}`, mode: "read_only" },
  })
  // The storefront takes the ticket; the read-only session's attempt at a cart is refused.
  const key = fs.readFileSync(path.join(process.env.E2E_DATA_DIR || ".e2e", "publishable-key.txt"), "utf8").trim()
  const ticket = new URLSearchParams(new URL(started.redirect_url).hash.slice(1)).get("ticket")
  const { token: storeToken } = await api("POST", "/store/login-as-customer/sessions", { key, body: { ticket } })
  await expect(api("POST", "/store/carts", { token: storeToken, key, body: {} })).rejects.toThrow(/read_only_session/)
  // The first admin changes john's consent: a line of another admin, about another customer.
  await api("POST", `/admin/customers/${johnId}/login-as-customer/remote-assistance`, { token, body: { allowed: false } })
})

afterAll(async () => {
  // The browser specs share one stack: jane's and john's consent as this file found them.
  for (const [id, before] of Object.entries(consentBefore)) {
    const body = before.allowed ? { allowed: true, expires_at: before.expires_at ?? null } : { allowed: false }
    await api("POST", `/admin/customers/${id}/login-as-customer/remote-assistance`, { token, body }).catch(() => undefined)
  }
  await restoreSettings?.()
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
    await everyRowSays(page, auditor.email)
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
    await everyRowSays(page, "john@example.com")
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
      "created_at,action,user_id,user_email,customer_id,customer_email,reason,mode,session_id,actor_type,actor_id,details,id"
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

  it("marks a refused store action in its row and its drawer, saying why in words", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    const rows = await openLog(page)
    const refused = rows.filter({ hasText: "Store action" }).filter({ has: page.getByTestId("lac-log-refused") }).first()
    await refused.waitFor()
    expect(await refused.getByTestId("lac-log-refused").textContent()).toBe("Refused")
    expect(await refused.textContent()).toContain("This session is read-only.")
    expect(await refused.textContent()).not.toContain("read_only_session")
    await refused.click()
    const drawer = page.getByTestId("lac-log-drawer")
    await drawer.getByTestId("lac-log-refused").waitFor()
    expect(await drawer.getByTestId("lac-log-field-refusal").innerText()).toContain("This session is read-only.")
    expect(await drawer.getByTestId("lac-log-field-request").innerText()).toContain("POST /store/carts")
    expect(errors).toEqual([])
    await context.close()
  })

  it("shows an entry's details as labelled fields in words, the recorded JSON folded away", async () => {
    const { context, page } = await adminPage(browser, { language: "es" })
    const errors = pluginErrors(page)
    const es = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../src/admin/i18n/es.json"), "utf8")).loginAsCustomer
    const rows = await openLog(page)
    await rows.filter({ hasText: es.log.actions.ticket_issued }).first().click()
    const drawer = page.getByTestId("lac-log-drawer")
    await drawer.waitFor()
    const labels = (await drawer.locator("dt").allInnerTexts()).map((label) => label.trim())
    expect(labels).toEqual(expect.arrayContaining([es.log.date, es.log.admin, es.log.fields.expires, es.dialog.storefront]))
    // No bare "ID", no raw actor type, no JSON in view.
    expect(labels).not.toContain("ID")
    expect(await drawer.getByTestId("lac-log-field-actor").innerText()).toContain(es.log.admin)
    expect(await drawer.getByTestId("lac-log-field-actor").innerText()).not.toMatch(/\buser\b/)
    const visible = await drawer.innerText()
    expect(visible).not.toMatch(/"mode"|"storefront_id"|\{/)
    expect(visible).toContain(es.log.modes.read_only)
    // The recorded data is one click away.
    await drawer.getByText(es.log.fields.raw).click()
    expect(await drawer.getByTestId("lac-log-raw").innerText()).toContain('"mode": "read_only"')
    expect(errors).toEqual([])
    await context.close()
  })

  it("wraps the Action column only between words at 1440 px, every label whole", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    await page.setViewportSize({ width: 1440, height: 900 })
    await openLog(page)
    const labels = page.getByTestId("lac-log-action")
    await labels.first().waitFor()
    // A word whose letters sit on two lines was broken inside.
    const broken = await labels.evaluateAll((spans) =>
      spans.flatMap((span) => {
        const text = span.firstChild
        if (!text || text.nodeType !== Node.TEXT_NODE) return []
        const out: string[] = []
        const value = text.textContent ?? ""
        for (const match of value.matchAll(/\S+/g)) {
          const range = document.createRange()
          range.setStart(text, match.index!)
          range.setEnd(text, match.index! + match[0].length)
          const tops = new Set(Array.from(range.getClientRects()).map((rect) => Math.round(rect.top)))
          if (tops.size > 1) out.push(`${value} → ${match[0]}`)
        }
        return out
      })
    )
    expect(broken).toEqual([])
    // Every label inside its cell, none running past either side.
    const cut = await labels.evaluateAll((spans) =>
      spans
        .filter((span) => {
          const [text, cell] = [span.getBoundingClientRect(), span.closest("td")!.getBoundingClientRect()]
          return text.left < cell.left - 1 || text.right > cell.right + 1
        })
        .map((span) => span.textContent)
    )
    expect(cut).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  })

  it("names the page in the top bar, and writes dates as the widget does, in every language", async () => {
    const { context, page } = await adminPage(browser, { language: "ptBR" })
    const errors = pluginErrors(page)
    const ptBR = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../src/admin/i18n/ptBR.json"), "utf8")).loginAsCustomer
    await openLog(page)
    expect((await page.locator("main").locator("xpath=..").locator("ol").first().innerText()).trim()).toBe(ptBR.log.title)
    const date = (await page.locator("tbody tr td").first().innerText()).trim()
    const iso = await page.evaluate(() => new Date().toISOString())
    // The widget's format (a medium date, a short time) in Brazilian Portuguese, e.g. "1 de dez. de 2026, 16:08".
    const sample = new Date(iso).toLocaleString("pt-BR", { dateStyle: "medium", timeStyle: "short" })
    expect(date.replace(/\d+/g, "0")).toBe(sample.replace(/\d+/g, "0"))
    expect(errors).toEqual([])
    await context.close()
  })

  it("asks once for an admin who may not view the log: one refusal, not one per part of the page", async () => {
    const email = `nolog.${stamp}@example.com`
    const invite = await api("POST", "/admin/invites", { token, body: { email } })
    const registration = await api("POST", "/auth/user/emailpass/register", { body: { email, password: "supersecret" } })
    await api("POST", `/admin/invites/accept?token=${invite.invite.token}`, {
      token: registration.token,
      body: { first_name: "Nola", last_name: "Nolog" },
    })
    await api("POST", "/admin/login-as-customer/settings", { token, body: { access: "selected_admins" } })
    try {
      const { context, page } = await adminPage(browser, { email })
      const refusals: string[] = []
      page.on("response", (response) => {
        if (response.status() === 403 && new URL(response.url()).pathname.startsWith("/admin/login-as-customer/")) {
          refusals.push(new URL(response.url()).pathname)
        }
      })
      await page.goto(LOG_URL)
      await page.getByTestId("lac-log-forbidden").waitFor({ timeout: 120_000 })
      await page.waitForLoadState("networkidle")
      expect(refusals).toEqual(["/admin/login-as-customer/log"])
      await context.close()
    } finally {
      await api("POST", "/admin/login-as-customer/settings", { token, body: { access: "all_admins" } })
    }
  })
})

/**
 * Waits until every row of the table names `text`: the rows of the list
 * before the filter (which may name it too) stay until the filtered answer
 * is drawn.
 */
async function everyRowSays(page: Page, text: string) {
  await page.waitForFunction((wanted) => {
    const rows = [...document.querySelectorAll("tbody tr")]
    return rows.length > 0 && rows.every((row) => (row.textContent ?? "").includes(wanted))
  }, text)
}
