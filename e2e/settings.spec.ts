import fs from "fs"
import path from "path"
import type { Browser, Locator, Page } from "playwright-core"
import { ADMIN_URL, adminPage, adminToken, api, launch } from "./helpers"

jest.setTimeout(300_000)

const SETTINGS_URL = `${ADMIN_URL}/app/settings/login-as-customer`
const I18N_DIR = path.resolve(__dirname, "../src/admin/i18n")

let browser: Browser
let token: string
/** Console errors and missing translations of the plugin, from every page of this file. */
const pluginProblems: string[] = []

beforeAll(async () => {
  browser = await launch()
  token = await adminToken()
})

afterAll(async () => {
  await browser?.close()
})

/** Records what the plugin's code writes to the console as an error, and any raw key it shows. */
function watch(page: Page) {
  page.on("pageerror", (error) => {
    if (/login-as-customer|loginAsCustomer|src\/admin/i.test(`${error.stack ?? ""} ${error.message}`)) {
      pluginProblems.push(`pageerror: ${error.message}`)
    }
  })
  page.on("console", (message) => {
    const text = message.text()
    const where = message.location().url ?? ""
    if (/missingKey/.test(text) && /loginAsCustomer/.test(text)) {
      pluginProblems.push(`missing translation: ${text}`)
    } else if (
      message.type() === "error" &&
      (/login-as-customer|loginAsCustomer/i.test(text) || /\/src\/admin\/|medusa-plugin-login-as-customer/.test(where))
    ) {
      pluginProblems.push(`console error: ${text} (${where})`)
    }
  })
}

async function openSettings(language?: string) {
  const opened = await adminPage(browser, language ? { language } : {})
  watch(opened.page)
  await opened.page.goto(SETTINGS_URL)
  await opened.page.getByTestId("lac-section-general").waitFor({ timeout: 120_000 })
  return opened
}

/** Opens a section's Edit drawer and returns it. */
async function edit(page: Page, section: "general" | "storefronts" | "restrictions" | "access" | "log-health"): Promise<Locator> {
  await page.getByTestId(`lac-edit-${section}`).click()
  const drawer = page.getByTestId(`lac-drawer-${section}`)
  await drawer.waitFor()
  return drawer
}

async function settings() {
  return (await api("GET", "/admin/login-as-customer/settings", { token })).settings
}

async function createSalesChannel(name: string): Promise<string> {
  return (await api("POST", "/admin/sales-channels", { token, body: { name } })).sales_channel.id
}

/** Form controls in an accessibility snapshot that have no name. */
function unnamedControls(snapshot: string): string[] {
  return snapshot
    .split("\n")
    .filter((line) => /^\s*- (textbox|combobox|checkbox|switch|spinbutton|radio)\b(?!\s+")/.test(line))
}

describe("Settings → Login as Customer", () => {
  it("labels every storefront field and picks the sales channel by its name", async () => {
    const outletId = await createSalesChannel("Outlet store")
    const before = await settings()
    const { context, page } = await openSettings()
    try {
      const drawer = await edit(page, "storefronts")
      expect(unnamedControls(await drawer.ariaSnapshot())).toEqual([])
      expect(await drawer.getByRole("textbox", { name: "Name" }).first().inputValue()).toBe("Reference storefront")

      const channel = drawer.getByRole("combobox", { name: "Sales channel" }).first()
      await channel.filter({ hasText: "Default Sales Channel" }).waitFor()
      await channel.click()
      await page.getByRole("option", { name: "Outlet store" }).click()
      await drawer.getByTestId("lac-settings-save").click()
      await drawer.waitFor({ state: "detached" })
      await page.getByTestId("lac-section-storefronts").getByText("Outlet store").waitFor()
      expect((await settings()).storefronts[0].sales_channel_id).toBe(outletId)
    } finally {
      await api("POST", "/admin/login-as-customer/settings", { token, body: { storefronts: before.storefronts } })
      await context.close()
    }
  })

  it("asks before closing a form with unsaved changes, and keeps the draft on Cancel", async () => {
    const { context, page } = await openSettings()
    try {
      const before = await settings()
      let drawer = await edit(page, "general")
      await drawer.getByRole("switch", { name: "Require a reason to log in" }).click()
      await page.keyboard.press("Escape")
      const prompt = page.getByRole("alertdialog")
      await prompt.getByText("Are you sure you want to leave this form?").waitFor()
      await prompt.getByRole("button", { name: "Cancel" }).click()
      await prompt.waitFor({ state: "detached" })
      // Still open, the change still there.
      expect(await drawer.getByRole("switch", { name: "Require a reason to log in" }).getAttribute("aria-checked")).toBe(
        String(!before.require_reason)
      )
      await drawer.getByRole("button", { name: "Cancel" }).click()
      await prompt.getByRole("button", { name: "Continue" }).click()
      await drawer.waitFor({ state: "detached" })
      expect((await settings()).require_reason).toBe(before.require_reason)

      // Unchanged forms close at once.
      drawer = await edit(page, "general")
      await page.keyboard.press("Escape")
      await drawer.waitFor({ state: "detached" })
      expect(await page.getByRole("alertdialog").count()).toBe(0)
    } finally {
      await context.close()
    }
  })

  it("closes a drawer with the browser's Back, asking first when the form has changes", async () => {
    const { context, page } = await openSettings()
    try {
      const before = await settings()
      const onPage = () => new URL(page.url()).pathname === "/app/settings/login-as-customer"
      let drawer = await edit(page, "general")
      await page.goBack()
      await drawer.waitFor({ state: "detached" })
      expect(onPage()).toBe(true)

      drawer = await edit(page, "general")
      await drawer.getByRole("switch", { name: "Require a reason to log in" }).click()
      await page.goBack()
      const prompt = page.getByRole("alertdialog")
      await prompt.getByText("Are you sure you want to leave this form?").waitFor()
      expect(onPage()).toBe(true)
      await prompt.getByRole("button", { name: "Cancel" }).click()
      await prompt.waitFor({ state: "detached" })
      expect(await drawer.getByRole("switch", { name: "Require a reason to log in" }).getAttribute("aria-checked")).toBe(
        String(!before.require_reason)
      )
      await page.goBack()
      await prompt.getByRole("button", { name: "Continue" }).click()
      await drawer.waitFor({ state: "detached" })
      expect(onPage()).toBe(true)
      expect((await settings()).require_reason).toBe(before.require_reason)
    } finally {
      await context.close()
    }
  })

  it("lays out the storefronts table and the drawer's buttons right to left in Arabic", async () => {
    const { context, page } = await openSettings("ar")
    try {
      const table = page.getByTestId("lac-section-storefronts").locator("table")
      await table.locator("tbody tr").first().waitFor()
      const layout = await table.evaluate((element) => {
        const box = (node: Element) => {
          const range = document.createRange()
          range.selectNodeContents(node)
          return range.getBoundingClientRect()
        }
        const heads = Array.from(element.querySelectorAll("thead th"))
        const cells = Array.from(element.querySelectorAll("tbody tr:first-child td"))
        const tableBox = element.getBoundingClientRect()
        return {
          // Each header starts (right to left: on the right) where its column's text does.
          offsets: heads.map((th, i) => Math.round(box(th).right - box(cells[i]).right)),
          // The last column's text keeps the card's padding at the end (the left).
          endGap: Math.round(Math.min(...cells.map((cell) => box(cell).left)) - tableBox.left),
        }
      })
      expect(layout.offsets.every((offset) => Math.abs(offset) <= 2)).toBe(true)
      expect(layout.endGap).toBeGreaterThanOrEqual(16)

      const drawer = await edit(page, "general")
      // Both boxes in the same frame: the drawer may still be sliding in.
      const [save, cancel] = await drawer.getByTestId("lac-settings-save").evaluate((button) =>
        [button, button.previousElementSibling!].map((element) => {
          const { x, width } = element.getBoundingClientRect()
          return { x, width }
        })
      )
      // Right to left: Cancel on the right, Save on its left, with room between them.
      expect(save.x).toBeLessThan(cancel.x)
      expect(cancel.x - (save.x + save.width)).toBeGreaterThanOrEqual(6)
    } finally {
      await context.close()
    }
  })

  it("saves admin grants with the rest on Save, and warns before you lock yourself out", async () => {
    const email = "sam@example.com"
    const invite = await api("POST", "/admin/invites", { token, body: { email } })
    const registration = await api("POST", "/auth/user/emailpass/register", { body: { email, password: "supersecret" } })
    await api("POST", `/admin/invites/accept?token=${invite.invite.token}`, {
      token: registration.token,
      body: { first_name: "Sam", last_name: "Support" },
    })
    const grantOf = async (who: string) =>
      (await api("GET", "/admin/login-as-customer/grants", { token })).grants.find((g: { email: string }) => g.email === who)
    const { context, page } = await openSettings()
    try {
      let drawer = await edit(page, "access")
      await drawer.getByRole("combobox", { name: "Who may log in as customers" }).click()
      await page.getByRole("option", { name: "Selected admins" }).click()
      // Your own account isn't selected: the form says what saving would do.
      await drawer.getByTestId("lac-lockout-warning").waitFor()
      await drawer.getByRole("checkbox", { name: `Allow Login as Customer: ${email}` }).click()
      // Nothing is saved yet: discard the form.
      await drawer.getByRole("button", { name: "Cancel" }).click()
      await page.getByRole("alertdialog").getByRole("button", { name: "Continue" }).click()
      await drawer.waitFor({ state: "detached" })
      expect((await grantOf(email)).can_login).toBe(false)
      expect((await settings()).access).toBe("all_admins")

      drawer = await edit(page, "access")
      await drawer.getByRole("combobox", { name: "Who may log in as customers" }).click()
      await page.getByRole("option", { name: "Selected admins" }).click()
      await drawer.getByRole("checkbox", { name: `Allow Login as Customer: ${email}` }).click()
      await drawer.getByTestId("lac-settings-save").click()
      // Saving without yourself asks first.
      const prompt = page.getByTestId("lac-lockout-confirm")
      await prompt.waitFor()
      expect(await prompt.getAttribute("role")).toBe("alertdialog")
      await prompt.getByRole("button", { name: "Cancel" }).click()
      await drawer.getByRole("checkbox", { name: "Allow Login as Customer: admin@example.com" }).click()
      await drawer.getByTestId("lac-lockout-warning").waitFor({ state: "detached" })
      await drawer.getByTestId("lac-settings-save").click()
      await drawer.waitFor({ state: "detached" })
      expect((await settings()).access).toBe("selected_admins")
      expect((await grantOf(email)).can_login).toBe(true)
      expect((await grantOf("admin@example.com")).can_login).toBe(true)
      await page.getByTestId("lac-section-access").getByText(email).waitFor()
    } finally {
      await api("POST", "/admin/login-as-customer/settings", { token, body: { access: "all_admins" } })
      for (const who of [email, "admin@example.com"]) {
        const grant = await grantOf(who)
        await api("POST", `/admin/login-as-customer/grants/${grant.user_id}`, {
          token,
          body: { can_login: false, can_view_log: false },
        })
      }
      await context.close()
    }
  })

  it("edits the log's retention in an Edit drawer like the other sections, with no console warning", async () => {
    const before = await settings()
    const { context, page } = await openSettings()
    /** Every console warning or error while the drawer is used (a dialog's missing description shows up here). */
    const warnings: string[] = []
    try {
      await page.getByTestId("lac-section-log-health").waitFor()
      page.on("console", (message) => {
        if (["warning", "error"].includes(message.type())) warnings.push(`${message.type()}: ${message.text()}`)
      })
      const drawer = await edit(page, "log-health")
      expect(await drawer.getAttribute("role")).toBe("dialog")
      expect(await page.getByRole("alertdialog").count()).toBe(0)
      const days = drawer.getByRole("spinbutton", { name: "Keep lines for how many days (empty: forever)" })
      await days.fill("0")
      await drawer.getByTestId("lac-settings-save").click()
      await drawer.getByText("Enter a whole number from 1 to 36500.").waitFor()
      await days.fill("400")
      await drawer.getByTestId("lac-settings-save").click()
      await drawer.waitFor({ state: "detached" })
      await page.getByTestId("lac-log-health-retention").getByText("400 days").waitFor()
      expect((await settings()).log_retention_days).toBe(400)
      expect(warnings).toEqual([])
    } finally {
      await api("POST", "/admin/login-as-customer/settings", { token, body: { log_retention_days: before.log_retention_days ?? null } })
      await context.close()
    }
  })

  it("runs a full check of the log from Log health: running, once, then the last verification says full check", async () => {
    await api("POST", "/admin/login-as-customer/log/verify", { token, body: {} })
    const { context, page } = await openSettings()
    try {
      const row = page.getByTestId("lac-log-health-verification")
      await row.getByText(/· quick check$/).waitFor()
      // The check's answer is held until the running state has been seen.
      let asks = 0
      let release = () => {}
      const held = new Promise<void>((resolve) => (release = resolve))
      await page.route(/\/admin\/login-as-customer\/log\/verify$/, async (route) => {
        if (route.request().postDataJSON()?.full === true) asks++
        await held
        await route.continue()
      })
      const run = row.getByRole("button", { name: "Run full check" })
      await run.click()
      await row.getByTestId("lac-log-full-check-running").waitFor()
      expect(await run.isDisabled()).toBe(true)
      release()
      await row.getByText(/· full check$/).waitFor()
      await page.getByText(/^Integrity verified(: nothing sealed yet| through .+) · full check$/).waitFor()
      expect(await run.isDisabled()).toBe(false)
      expect(asks).toBe(1)
      expect((await api("GET", "/admin/login-as-customer/log/health", { token })).health.last_verification.mode).toBe("full")
    } finally {
      await context.close()
    }
  })

  it("says under Last verification how many newer records not signed with the key it passed over", async () => {
    const { context, page } = await openSettings()
    try {
      // Log health's answer once 20 001 records inserted by SQL hide the last verification (integration-tests/http/integrity: sql-edges).
      await page.route(/\/admin\/login-as-customer\/log\/health(\?.*)?$/, async (route) => {
        const response = await route.fetch()
        const { health } = await response.json()
        await route.fulfill({
          response,
          json: { health: { ...health, last_verification: null, verifications_passed_over: { count: 20000, at_least: true } } },
        })
      })
      await page.reload()
      const row = page.getByTestId("lac-log-health-verification")
      await row.getByText("Not verified yet").waitFor()
      expect(await row.getByTestId("lac-log-health-passed-over").textContent()).toBe(
        "Newer verification records not signed with the key, passed over: 20,000+"
      )
    } finally {
      await context.close()
    }
  })

  it("shows the server's refusal in the admin's language", async () => {
    const before = await settings()
    const channelId = await createSalesChannel("Temporary channel")
    const { context, page } = await openSettings("es")
    try {
      const drawer = await edit(page, "storefronts")
      await drawer.getByRole("combobox", { name: "Canal de venta" }).first().click()
      await page.getByRole("option", { name: "Temporary channel" }).click()
      // The channel goes away before the form is saved: the server refuses it.
      await api("DELETE", `/admin/sales-channels/${channelId}`, { token })
      await drawer.getByTestId("lac-settings-save").click()
      const error = drawer.getByTestId("lac-settings-error")
      await error.waitFor()
      const es = JSON.parse(fs.readFileSync(path.join(I18N_DIR, "es.json"), "utf8"))
      expect(await error.textContent()).toContain(es.loginAsCustomer.errors.invalid_data)
      expect(await error.textContent()).not.toMatch(/not found|Invalid request/i)
      expect((await settings()).storefronts).toEqual(before.storefronts)
    } finally {
      await context.close()
    }
  })

  it("names the log page grammatically in Spanish, on one line of the sidebar", async () => {
    const { context, page } = await adminPage(browser, { language: "es" })
    watch(page)
    try {
      await page.goto(`${ADMIN_URL}/app/orders`)
      const link = page.getByRole("link", { name: "Accesos como cliente" })
      await link.waitFor({ timeout: 120_000 })
      const orders = page.getByRole("link", { name: "Pedidos", exact: true }).first()
      const [ours, theirs] = [await link.boundingBox(), await orders.boundingBox()]
      expect(ours!.height).toBeLessThanOrEqual(theirs!.height + 1)
    } finally {
      await context.close()
    }
  })

  it("loads the plugin's strings in every language the dashboard ships, each menu label on one line", async () => {
    const languages = fs
      .readdirSync(I18N_DIR)
      .filter((file) => file.endsWith(".json"))
      .map((file) => file.replace(/\.json$/, ""))
    expect(languages.length).toBe(35)
    const { context, page } = await openSettings()
    /** Height of our menu link against a core one beside it (one line each). */
    const lines = async (ours: string, theirs: string) => {
      const [a, b] = [await page.locator(`a[href="${ours}"]`).first(), await page.locator(`a[href="${theirs}"]`).first()]
      await a.waitFor({ timeout: 60_000 })
      return (await a.boundingBox())!.height - (await b.boundingBox())!.height
    }
    const wrapped: string[] = []
    try {
      for (const language of languages) {
        const strings = JSON.parse(fs.readFileSync(path.join(I18N_DIR, `${language}.json`), "utf8")).loginAsCustomer
        // The dashboard reads the language from the "lng" cookie first, then localStorage.
        await context.addCookies([{ name: "lng", value: language, url: ADMIN_URL }])
        await page.evaluate((lng) => window.localStorage.setItem("lng", lng), language)
        await page.goto(`${ADMIN_URL}/app/orders`)
        await page.getByRole("link", { name: strings.log.title }).first().waitFor({ timeout: 60_000 })
        if ((await lines("/app/login-as-customer-log", "/app/orders")) > 1) wrapped.push(`${language}: ${strings.log.title}`)
        // To the settings page inside the app (the router follows history), not with a second full load.
        await page.evaluate((url) => {
          window.history.pushState({}, "", url)
          window.dispatchEvent(new PopStateEvent("popstate"))
        }, "/app/settings/login-as-customer")
        await page.getByTestId("lac-settings-heading").filter({ hasText: strings.settings.title }).waitFor({ timeout: 60_000 })
        if ((await lines("/app/settings/login-as-customer", "/app/settings/store")) > 1) {
          wrapped.push(`${language}: ${strings.nav.settings}`)
        }
        const dir = await page.evaluate(() => document.documentElement.dir || "ltr")
        expect([language, dir]).toEqual([language, ["ar", "fa", "he"].includes(language) ? "rtl" : "ltr"])
      }
      expect(wrapped).toEqual([])
    } finally {
      await context.close()
    }
  }, 900_000)

  it("has no console error from the plugin on these pages", () => {
    expect(pluginProblems).toEqual([])
  })
})
