// Accessibility of every page and widget state the plugin adds, checked with
// axe-core in Chromium (the keyboard paths through them: a11y-keyboard.spec.ts). With
// SCREENSHOTS=1 the same walk photographs them into .e2e-output/screenshots/
// <language>/ (English and Arabic, right to left); `node scripts/screenshots.js`
// runs it and copies them to docs/screenshots/. Outside the project's watched
// files (a dot directory), so writing them doesn't restart `medusa develop`.
import type { BrowserContext, Page } from "playwright-core"
import { ADMIN_URL, api, STOREFRONT_URL } from "./helpers"
import {
  accountCustomer,
  check,
  consoleErrors,
  exchange,
  fromPlugin,
  logoutFromStorefront,
  markRoute,
  openAdmin,
  placeOrderInSession,
  seriousOnes,
  shoot,
  stack,
  startSession,
  useA11yStack,
  VIEWPORT,
} from "./a11y-helpers"

jest.setTimeout(600_000)

useA11yStack({ report: true })

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
    const { regions } = await api("GET", "/admin/regions?limit=1", { token: stack.token })
    const { draft_order } = await api("POST", "/admin/draft-orders", {
      token: stack.token,
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
    // The integrity line: the verification's answer, with Verify again.
    await page.locator('[data-testid="lac-log-integrity-verified"], [data-testid="lac-log-integrity-failed"]').first().waitFor()
    await markRoute(page, page.getByTestId("lac-export"), "data-lac-route")
    await check(page, state("log page"), ["[data-lac-route]"])
    await shoot(page, language, "log-page")
    // A kept checkpoint's field, refused with its message.
    await page.getByTestId("lac-kept-checkpoint-open").click()
    await page.locator("#lac-kept-checkpoint").fill("12")
    await page.getByTestId("lac-kept-checkpoint-verify").click()
    await page.getByTestId("lac-kept-checkpoint-error").waitFor()
    await check(page, state("log page, kept checkpoint refused"), ['[data-testid="lac-log-integrity"]'])
    await page.keyboard.press("Escape")
    await page.getByTestId("lac-kept-checkpoint-form").waitFor({ state: "detached" })

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
    // Log health shows the newest seal's checkpoint to keep once the seal job (every minute) has written one.
    for (let tries = 0; tries < 90; tries++) {
      const { health } = await api("GET", "/admin/login-as-customer/log/health", { token: stack.token })
      if (health.last_seal?.digest) break
      await new Promise((resolve) => setTimeout(resolve, 2000))
    }
    await page.goto(`${ADMIN_URL}/app/settings/login-as-customer`)
    await page.getByTestId("lac-section-access").waitFor({ timeout: 120_000 })
    await markRoute(page, page.getByTestId("lac-settings-heading"), "data-lac-route")
    await check(page, state("settings page"), ["[data-lac-route]"])
    await shoot(page, language, "settings")
    // Log health, at the end of the page: the last verification (the log page's, above) and Run full check.
    const health = page.getByTestId("lac-section-log-health")
    await health.getByTestId("lac-log-health-verification-kind").waitFor()
    await health.getByTestId("lac-log-health-checkpoint").waitFor()
    await check(page, state("settings log health, checkpoint to keep"), ['[data-testid="lac-log-health-checkpoint"]'])
    await health.evaluate((element) => element.scrollIntoView({ block: "end" }))
    await shoot(page, language, "settings-log-health")
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
    const context = await stack.browser.newContext({ viewport: VIEWPORT })
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

describe("Console", () => {
  it("logged no console error from the plugin in the axe walk", () => {
    expect(consoleErrors.filter(fromPlugin)).toEqual([])
  })
})
