// Accessibility of every page and widget state the plugin adds, checked with
// axe-core in Chromium, and the keyboard paths through them. With
// SCREENSHOTS=1 the same walk photographs them into .e2e-output/screenshots/
// <language>/ (English and Arabic, right to left); `node scripts/screenshots.js`
// runs it and copies them to docs/screenshots/. Outside the project's watched
// files (a dot directory), so writing them doesn't restart `medusa develop`.
import fs from "fs"
import path from "path"
import type { Browser, BrowserContext, Locator, Page } from "playwright-core"
import { ADMIN_URL, adminPage, adminToken, annotatedOrder, api, launch, placeOrderThroughStore, STOREFRONT_URL } from "./helpers"

jest.setTimeout(600_000)

const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8")
const SHOTS = process.env.SCREENSHOTS === "1" || process.env.SCREENSHOTS === "true"
const OUTPUT = path.resolve(__dirname, "..", ".e2e-output")
const SHOTS_DIR = path.join(OUTPUT, "screenshots")
const VIEWPORT = { width: 1440, height: 900 }

let browser: Browser
let token: string
let publishableKey: string
let settingsBefore: { enabled: boolean; ticket_ttl_seconds: number }

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }

/** Serious and critical violations in the plugin's own elements, by state. */
const ours: Record<string, Violation[]> = {}
/** Every violation axe finds, in the plugin's elements or around them (Medusa's own), by state: for the report. */
const found: Record<string, { ours: Violation[]; around: Violation[] }> = {}
const consoleErrors: string[] = []

const fromPlugin = (line: string) => /login-as-customer|loginAsCustomer|src\/admin/i.test(line)

async function openAdmin(language = "en"): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await adminPage(browser, { language })
  await opened.page.setViewportSize(VIEWPORT)
  opened.page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${message.location().url}: ${message.text()}`)
  })
  opened.page.on("pageerror", (error) => consoleErrors.push(`${opened.page.url()}: ${error.message}\n${error.stack ?? ""}`))
  return opened
}

/** Waits until nothing on the page moves (drawers slid in, spinners gone). */
async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getComputedTiming().iterations === Infinity) &&
      !document.querySelector('[data-testid="lac-widget"] .animate-spin, [role="dialog"] .animate-spin, .animate-pulse')
  )
}

/**
 * Runs axe on the plugin's elements (the selectors; each must match) and,
 * for the report only, on the rest of the page.
 */
async function check(page: Page, state: string, selectors: string[]) {
  await settled(page)
  // Evaluated over the DevTools protocol, which the storefront's Content-Security-Policy doesn't block (a script tag would be).
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE)
  const result = await page.evaluate(async (include) => {
    const missing = include.filter((selector) => !document.querySelector(selector))
    if (missing.length) return { missing, ours: [], around: [] }
    const axe = (window as unknown as { axe: any }).axe
    const options = { resultTypes: ["violations"], rules: { region: { enabled: false } } }
    const slim = (violations: any[]) =>
      violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n: any) => ({ target: n.target, failureSummary: n.failureSummary })),
      }))
    const mine = await axe.run({ include: include.map((s) => [s]) }, options)
    const rest = await axe.run({ exclude: include.map((s) => [s]) }, options)
    return { missing, ours: slim(mine.violations), around: slim(rest.violations) }
  }, selectors)
  expect(result.missing).toEqual([])
  found[state] = { ours: result.ours, around: result.around }
  // Checked at the end of each language's walk, all states at once.
  ours[state] = result.ours.filter((v) => v.impact === "serious" || v.impact === "critical")
}

/** The serious and critical violations of the states whose name starts with `prefix`. */
const seriousOnes = (prefix: string) =>
  Object.fromEntries(Object.entries(ours).filter(([state, list]) => state.startsWith(prefix) && list.length))

/** Marks the root of a route's content (the child of the layout's gutter inside <main>), so axe looks only there. */
async function markRoute(page: Page, inside: Locator, attribute: string) {
  await inside.evaluate((element, name) => {
    let node = element as HTMLElement
    while (node.parentElement?.parentElement && node.parentElement.parentElement.tagName !== "MAIN") node = node.parentElement
    node.setAttribute(name, "")
  }, attribute)
}

async function shoot(page: Page, language: string, name: string) {
  if (!SHOTS) return
  await settled(page)
  // The caret and hover states would differ from run to run.
  await page.mouse.move(0, 0)
  fs.mkdirSync(path.join(SHOTS_DIR, language), { recursive: true })
  await page.screenshot({ path: path.join(SHOTS_DIR, language, `${name}.png`), caret: "hide", animations: "disabled" })
}

/**
 * A customer with an account (registered through the store API) and a consent
 * as given. Each run starts on an empty database: the emails read as real ones.
 */
async function accountCustomer(first: string, last: string, allowed = true, local?: string): Promise<{ id: string; email: string }> {
  const email = `${local ?? `${first}.${last}`.toLowerCase()}@example.com`
  const { token: registration } = await api("POST", "/auth/customer/emailpass/register", {
    body: { email, password: "supersecret" },
  })
  const { customer } = await api("POST", "/store/customers", {
    token: registration,
    key: publishableKey,
    body: { email, first_name: first, last_name: last },
  })
  const { token: login } = await api("POST", "/auth/customer/emailpass", { body: { email, password: "supersecret" } })
  await api("POST", "/store/customers/me/remote-assistance", { token: login, key: publishableKey, body: { allowed } })
  return { id: customer.id, email }
}

async function startSession(customerId: string, body: Record<string, unknown> = {}): Promise<{ sessionId: string; url: string }> {
  const started = await api("POST", `/admin/customers/${customerId}/login-as-customer`, { token, body })
  return { sessionId: started.session_id, url: started.redirect_url }
}

async function exchange(url: string): Promise<string> {
  const ticket = new URLSearchParams(new URL(url).hash.slice(1)).get("ticket")!
  return (await api("POST", "/store/login-as-customer/sessions", { key: publishableKey, body: { ticket } })).token
}

async function logoutFromStorefront(impersonationToken: string) {
  await api("DELETE", "/store/login-as-customer/session", { token: impersonationToken, key: publishableKey })
}

/** An order placed in a session, as the reference storefront places it; its id once the plugin has annotated it. */
async function placeOrderInSession(impersonationToken: string): Promise<string> {
  const order = await placeOrderThroughStore({ token: impersonationToken, key: publishableKey })
  return annotatedOrder(order.id, token)
}

/** The element that has the focus, described. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null
    return {
      testid: element?.getAttribute("data-testid") ?? null,
      tag: element?.tagName.toLowerCase() ?? null,
      role: element?.getAttribute("role") ?? null,
      text: (element?.textContent ?? "").trim().slice(0, 60),
      inDialog: !!element?.closest('[role="dialog"], [role="alertdialog"]'),
      inTable: !!element?.closest("tbody"),
    }
  })

/** Presses Tab until the focus satisfies `done` (at most `limit` times); the focus then. */
async function tabTo(page: Page, done: (f: Awaited<ReturnType<typeof focused>>) => boolean, limit = 250) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab")
    const f = await focused(page)
    if (done(f)) return f
  }
  throw new Error(`Tab never reached the element (last focus: ${JSON.stringify(await focused(page))})`)
}

beforeAll(async () => {
  browser = await launch()
  token = await adminToken()
  publishableKey = fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "publishable-key.txt"), "utf8").trim()
  settingsBefore = (await api("GET", "/admin/login-as-customer/settings", { token })).settings
  await api("POST", "/admin/login-as-customer/settings", { token, body: { enabled: true, ticket_ttl_seconds: 600 } })
})

afterAll(async () => {
  try {
    fs.mkdirSync(OUTPUT, { recursive: true })
    fs.writeFileSync(path.join(OUTPUT, "a11y.json"), JSON.stringify(found, null, 2))
    if (settingsBefore) {
      await api("POST", "/admin/login-as-customer/settings", {
        token,
        body: { enabled: settingsBefore.enabled, ticket_ttl_seconds: settingsBefore.ticket_ttl_seconds },
      })
    }
  } finally {
    await browser?.close()
  }
})

const WIDGET = ['[data-testid="lac-bar"]', '[data-testid="lac-widget"]']

/** The customers of each language's walk: first name, last name, email's local part. */
const PEOPLE: Record<string, Record<"refused" | "allowed" | "order" | "draft", [string, string, string]>> = {
  en: {
    refused: ["Noor", "Haddad", "noor.haddad"],
    allowed: ["Emma", "Schneider", "emma.schneider"],
    order: ["Lukas", "Weber", "lukas.weber"],
    draft: ["Sofia", "Rossi", "sofia.rossi"],
  },
  ar: {
    refused: ["عمر", "فاروق", "omar.farouk"],
    allowed: ["ليلى", "حسن", "layla.hassan"],
    order: ["يوسف", "منصور", "youssef.mansour"],
    draft: ["سارة", "خليل", "sara.khalil"],
  },
}

/**
 * Every plugin page and widget state, checked with axe (0 serious or
 * critical violations) and, with SCREENSHOTS=1, photographed.
 */
describe.each(["en", "ar"])("Accessibility (axe) of the plugin's pages and widgets, language %s", (language) => {
  let context: BrowserContext
  let page: Page
  const state = (name: string) => `${language}: ${name}`

  beforeAll(async () => {
    ;({ context, page } = await openAdmin(language))
  })
  afterAll(async () => {
    await context?.close()
  })

  it("customer page: consent not allowed, then the allow-consent dialog", async () => {
    const [first, last, local] = PEOPLE[language].refused
    const customer = await accountCustomer(first, last, false, local)
    await page.goto(`${ADMIN_URL}/app/customers/${customer.id}`)
    await page.getByTestId("lac-consent").waitFor({ timeout: 240_000 })
    await page.getByTestId("lac-bar-status").waitFor()
    await check(page, state("customer, consent not allowed"), WIDGET)

    await page.getByTestId("lac-widget").getByRole("button").first().click()
    await page.getByTestId("lac-allow-dialog").waitFor()
    await check(page, state("allow-consent dialog"), ['[data-testid="lac-allow-dialog"]'])
    await page.keyboard.press("Escape")
    await page.getByTestId("lac-allow-dialog").waitFor({ state: "detached" })
  })

  it("customer page: consent allowed, the start dialog, then a session in progress", async () => {
    const [first, last, local] = PEOPLE[language].allowed
    const customer = await accountCustomer(first, last, true, local)
    await page.goto(`${ADMIN_URL}/app/customers/${customer.id}`)
    await page.getByTestId("lac-consent").waitFor({ timeout: 120_000 })
    await page.getByTestId("lac-sessions").waitFor()
    await check(page, state("customer, consent allowed"), WIDGET)

    await page.getByTestId("lac-login-button").click()
    const dialog = page.getByTestId("lac-dialog")
    await dialog.waitFor()
    await dialog.getByTestId("lac-reason-input").fill(language === "ar" ? "تذكرة الدعم 4711: المساعدة في الدفع" : "Ticket 4711: help with checkout")
    await check(page, state("start dialog"), ['[data-testid="lac-dialog"]'])
    await shoot(page, language, "start-dialog")

    const [storefront] = await Promise.all([context.waitForEvent("page"), dialog.getByTestId("lac-start").click()])
    await dialog.waitFor({ state: "detached" })
    await storefront.getByText(`You are logged in as ${first} ${last}`, { exact: false }).waitFor({ timeout: 60_000 })
    await page.getByTestId("lac-bar-session").waitFor({ timeout: 30_000 })
    await page.getByTestId("lac-session").waitFor()
    // The toast of the start is gone before the picture.
    await page.locator("[data-sonner-toast]").first().waitFor({ state: "detached", timeout: 15_000 }).catch(() => {})
    await check(page, state("customer, session in progress"), WIDGET)
    await shoot(page, language, "customer-widget")

    if (language === "en") {
      await storefront.setViewportSize(VIEWPORT)
      await storefront.locator("#history tbody tr").first().waitFor()
      await check(storefront, state("storefront, assisted (banner, history)"), ["body"])
      await shoot(storefront, language, "storefront-banner")
    }
    await storefront.close()
  })

  it("order page with the bar and the side card's note", async () => {
    const [first, last, local] = PEOPLE[language].order
    const customer = await accountCustomer(first, last, true, local)
    const impersonation = await exchange((await startSession(customer.id, { reason: "Ticket 4712: reorder" })).url)
    const orderId = await placeOrderInSession(impersonation)
    await logoutFromStorefront(impersonation)
    await page.goto(`${ADMIN_URL}/app/orders/${orderId}`)
    await page.getByTestId("lac-order-note").waitFor({ timeout: 120_000 })
    await page.getByTestId("lac-bar-status").waitFor()
    await check(page, state("order page"), WIDGET)
    await shoot(page, language, "order-note")
  })

  it("draft order page", async () => {
    const [first, last, local] = PEOPLE[language].draft
    const customer = await accountCustomer(first, last, true, local)
    const { regions } = await api("GET", "/admin/regions?limit=1", { token })
    const { draft_order } = await api("POST", "/admin/draft-orders", {
      token,
      body: { customer_id: customer.id, email: customer.email, region_id: regions[0].id },
    })
    await page.goto(`${ADMIN_URL}/app/draft-orders/${draft_order.id}`)
    await page.getByTestId("lac-bar-status").waitFor({ timeout: 120_000 })
    await page.getByTestId("lac-widget").waitFor()
    await check(page, state("draft order page"), WIDGET)
  })

  it("log page, its filters open, an entry's drawer open", async () => {
    await page.goto(`${ADMIN_URL}/app/login-as-customer-log`)
    await page.locator("tbody tr").first().waitFor({ timeout: 120_000 })
    await page.getByTestId("lac-chart").waitFor()
    await markRoute(page, page.getByTestId("lac-export"), "data-lac-route")
    await check(page, state("log page"), ["[data-lac-route]"])

    // The filter menu, then the action filter's popover.
    await page.getByTestId("lac-export").locator("xpath=..").getByRole("button").first().click()
    const menu = page.getByRole("menu")
    await menu.waitFor()
    await check(page, state("log filter menu"), ['[role="menu"]'])
    await menu.getByRole("menuitem").first().click()
    await page.getByRole("dialog").last().waitFor()
    await check(page, state("log filter open"), ["[data-lac-route]", '[role="dialog"]'])
    await page.keyboard.press("Escape")
    await page.getByRole("dialog").waitFor({ state: "detached" })
    await page.goto(`${ADMIN_URL}/app/login-as-customer-log`)
    await page.locator("tbody tr").first().waitFor()

    // The start of the order's session: a reason and a mode to show.
    await page.getByRole("searchbox").fill("Ticket 4712")
    await page.locator("tbody tr").filter({ hasText: "Ticket 4712" }).first().waitFor()
    await page.locator("tbody tr").filter({ hasText: "Ticket 4712" }).last().click()
    const drawer = page.getByTestId("lac-log-drawer")
    await drawer.waitFor()
    await check(page, state("log entry drawer"), ['[data-testid="lac-log-drawer"]'])
    await shoot(page, language, "log")
    await page.keyboard.press("Escape")
    await drawer.waitFor({ state: "detached" })
  })

  it("settings page and each of its Edit drawers", async () => {
    await page.goto(`${ADMIN_URL}/app/settings/login-as-customer`)
    await page.getByTestId("lac-section-access").waitFor({ timeout: 120_000 })
    await markRoute(page, page.getByTestId("lac-settings-heading"), "data-lac-route")
    await check(page, state("settings page"), ["[data-lac-route]"])
    await shoot(page, language, "settings")
    for (const section of ["general", "storefronts", "restrictions", "access"]) {
      await page.getByTestId(`lac-edit-${section}`).click()
      const drawer = page.getByTestId(`lac-drawer-${section}`)
      await drawer.waitFor()
      await check(page, state(`settings drawer ${section}`), [`[data-testid="lac-drawer-${section}"]`])
      await page.keyboard.press("Escape")
      await drawer.waitFor({ state: "detached" })
    }
  })

  it("has no serious or critical violation in any of them", () => {
    expect(seriousOnes(`${language}:`)).toEqual({})
  })
})

describe("Accessibility (axe) of the reference storefront", () => {
  it("signed out, signed in with the session history", async () => {
    const customer = await accountCustomer("Mara", "Lindqvist")
    // Two past sessions for the history.
    for (const reason of ["Ticket 4801: address change", "Ticket 4802: coupon"]) {
      await logoutFromStorefront(await exchange((await startSession(customer.id, { reason })).url))
    }
    const context = await browser.newContext({ viewport: VIEWPORT })
    const page = await context.newPage()
    page.setDefaultTimeout(60_000)
    await page.goto(STOREFRONT_URL)
    await page.locator('input[name="email"]').waitFor()
    await check(page, "storefront, signed out", ["body"])
    await page.fill('input[name="email"]', customer.email)
    await page.fill('input[name="password"]', "supersecret")
    await page.getByRole("button", { name: "Sign in" }).click()
    await page.locator("#history tbody tr").first().waitFor()
    await check(page, "storefront, signed in (history)", ["body"])
    await context.close()
  })

  it("has no serious or critical violation", () => {
    expect(seriousOnes("storefront")).toEqual({})
  })
})

describe("Keyboard", () => {
  it("tabs to Login as Customer, opens the start dialog with Enter, moves through it and starts", async () => {
    const customer = await accountCustomer("Kenji", "Tanaka")
    const { context, page } = await openAdmin()
    await page.goto(`${ADMIN_URL}/app/customers/${customer.id}`)
    const button = page.getByTestId("lac-login-button")
    await button.waitFor({ timeout: 120_000 })
    await page.getByText(/No session in progress/).first().waitFor()
    await page.locator("body").focus()
    await tabTo(page, (f) => f.testid === "lac-login-button")
    await page.keyboard.press("Enter")
    const dialog = page.getByTestId("lac-dialog")
    await dialog.waitFor()
    await settled(page)
    // The dialog opens on the reason, not on its close button: typing straight away writes it.
    expect((await focused(page)).testid).toBe("lac-reason-input")

    // Through the dialog: the reason, the mode (arrow keys), on to Start; the focus stays inside.
    await page.keyboard.type("Ticket 4713: keyboard")
    const radio = await tabTo(page, (f) => f.role === "radio", 10)
    expect(radio.inDialog).toBe(true)
    // Held as a person holds it: the group moves the focus a task after the keydown and checks
    // the radio only while the arrow is down (a press with no time between down and up can miss it).
    await page.keyboard.down("ArrowDown")
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "lac-mode-read-only")
    await page.keyboard.up("ArrowDown")
    await page.waitForFunction(
      () => document.querySelector('[data-testid="lac-mode-read-only"]')?.getAttribute("aria-checked") === "true"
    )
    await tabTo(page, (f) => {
      expect(f.inDialog).toBe(true)
      return f.testid === "lac-start"
    }, 20)
    const [storefront] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("Enter")])
    await dialog.waitFor({ state: "detached" })
    await storefront.getByText(/You are logged in as Kenji Tanaka/).waitFor({ timeout: 60_000 })
    const { active_sessions } = await api("GET", `/admin/customers/${customer.id}/login-as-customer`, { token })
    expect(active_sessions.map((s: { mode: string }) => s.mode)).toEqual(["read_only"])
    await context.close()
  })

  it("opens a log entry from the keyboard and closes it with Escape", async () => {
    const { context, page } = await openAdmin()
    await page.goto(`${ADMIN_URL}/app/login-as-customer-log`)
    await page.locator("tbody tr").first().waitFor({ timeout: 120_000 })
    await page.locator("body").focus()
    const entry = await tabTo(page, (f) => f.inTable)
    await page.keyboard.press("Enter")
    const drawer = page.getByTestId("lac-log-drawer")
    await drawer.waitFor()
    await settled(page)
    expect((await focused(page)).inDialog).toBe(true)
    await page.keyboard.press("Escape")
    await drawer.waitFor({ state: "detached" })
    // The focus goes back to the entry it came from.
    expect((await focused(page)).text).toBe(entry.text)
    await context.close()
  })

  it("opens and closes a settings drawer with the keyboard", async () => {
    const { context, page } = await openAdmin()
    await page.goto(`${ADMIN_URL}/app/settings/login-as-customer`)
    await page.getByTestId("lac-section-general").waitFor({ timeout: 120_000 })
    await page.locator("body").focus()
    await tabTo(page, (f) => f.testid === "lac-edit-general")
    await page.keyboard.press("Enter")
    const drawer = page.getByTestId("lac-drawer-general")
    await drawer.waitFor()
    await settled(page)
    expect((await focused(page)).inDialog).toBe(true)
    await page.keyboard.press("Escape")
    await drawer.waitFor({ state: "detached" })
    expect((await focused(page)).testid).toBe("lac-edit-general")
    await context.close()
  })

  it("logged no console error from the plugin", () => {
    expect(consoleErrors.filter(fromPlugin)).toEqual([])
  })
})
