// What the accessibility specs share: axe-core run in the page, the keyboard's
// focus, the customers and sessions they walk through, and the stack they run
// against (a browser, an admin token, the storefront's key; the feature on
// while they run, the settings put back after).
import fs from "fs"
import path from "path"
import type { Browser, BrowserContext, Locator, Page } from "playwright-core"
import { adminPage, adminToken, annotatedOrder, api, launch, placeOrderThroughStore } from "./helpers"

const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8")
const SHOTS = process.env.SCREENSHOTS === "1" || process.env.SCREENSHOTS === "true"
const OUTPUT = path.resolve(__dirname, "..", ".e2e-output")
const SHOTS_DIR = path.join(OUTPUT, "screenshots")
export const VIEWPORT = { width: 1440, height: 900 }

/** The browser, an admin token and the storefront's key, set before the spec's tests run (useA11yStack). */
export const stack = { browser: undefined as unknown as Browser, token: "", publishableKey: "" }
let settingsBefore: { enabled: boolean; ticket_ttl_seconds: number }

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }

/** Serious and critical violations in the plugin's own elements, by state. */
const ours: Record<string, Violation[]> = {}
/** Every violation axe finds, in the plugin's elements or around them (Medusa's own), by state: for the report. */
const found: Record<string, { ours: Violation[]; around: Violation[] }> = {}
export const consoleErrors: string[] = []

export { fromPlugin } from "./helpers"

export async function openAdmin(language = "en"): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await adminPage(stack.browser, { language })
  await opened.page.setViewportSize(VIEWPORT)
  opened.page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${message.location().url}: ${message.text()}`)
  })
  opened.page.on("pageerror", (error) => consoleErrors.push(`${opened.page.url()}: ${error.message}\n${error.stack ?? ""}`))
  return opened
}

/** Waits until nothing on the page moves (drawers slid in, spinners gone). */
export async function settled(page: Page) {
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
export async function check(page: Page, state: string, selectors: string[]) {
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
export const seriousOnes = (prefix: string) =>
  Object.fromEntries(Object.entries(ours).filter(([state, list]) => state.startsWith(prefix) && list.length))

/** Marks the root of a route's content (the child of the layout's gutter inside <main>), so axe looks only there. */
export async function markRoute(page: Page, inside: Locator, attribute: string) {
  await inside.evaluate((element, name) => {
    let node = element as HTMLElement
    while (node.parentElement?.parentElement && node.parentElement.parentElement.tagName !== "MAIN") node = node.parentElement
    node.setAttribute(name, "")
  }, attribute)
}

export async function shoot(page: Page, language: string, name: string) {
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
export async function accountCustomer(first: string, last: string, allowed = true, local?: string): Promise<{ id: string; email: string }> {
  const email = `${local ?? `${first}.${last}`.toLowerCase()}@example.com`
  const { token: registration } = await api("POST", "/auth/customer/emailpass/register", {
    body: { email, password: "supersecret" },
  })
  const { customer } = await api("POST", "/store/customers", {
    token: registration,
    key: stack.publishableKey,
    body: { email, first_name: first, last_name: last },
  })
  const { token: login } = await api("POST", "/auth/customer/emailpass", { body: { email, password: "supersecret" } })
  await api("POST", "/store/customers/me/remote-assistance", { token: login, key: stack.publishableKey, body: { allowed } })
  return { id: customer.id, email }
}

export async function startSession(customerId: string, body: Record<string, unknown> = {}): Promise<{ sessionId: string; url: string }> {
  const started = await api("POST", `/admin/customers/${customerId}/login-as-customer`, { token: stack.token, body })
  return { sessionId: started.session_id, url: started.redirect_url }
}

export async function exchange(url: string): Promise<string> {
  const ticket = new URLSearchParams(new URL(url).hash.slice(1)).get("ticket")!
  return (await api("POST", "/store/login-as-customer/sessions", { key: stack.publishableKey, body: { ticket } })).token
}

export async function logoutFromStorefront(impersonationToken: string) {
  await api("DELETE", "/store/login-as-customer/session", { token: impersonationToken, key: stack.publishableKey })
}

/** An order placed in a session, as the reference storefront places it; its id once the plugin has annotated it. */
export async function placeOrderInSession(impersonationToken: string): Promise<string> {
  const order = await placeOrderThroughStore({ token: impersonationToken, key: stack.publishableKey })
  return annotatedOrder(order.id, stack.token)
}

/** The element that has the focus, described. */
export const focused = (page: Page) =>
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
export async function tabTo(page: Page, done: (f: Awaited<ReturnType<typeof focused>>) => boolean, limit = 250) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab")
    const f = await focused(page)
    if (done(f)) return f
  }
  throw new Error(`Tab never reached the element (last focus: ${JSON.stringify(await focused(page))})`)
}

/**
 * Launches the browser, reads the admin token and the storefront's key, and
 * switches the feature on for the spec's tests; afterwards puts the settings
 * back, closes the browser and, with `report`, writes every violation found
 * to .e2e-output/a11y.json.
 */
export function useA11yStack({ report = false }: { report?: boolean } = {}) {
  beforeAll(async () => {
    stack.browser = await launch()
    stack.token = await adminToken()
    stack.publishableKey = fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "publishable-key.txt"), "utf8").trim()
    settingsBefore = (await api("GET", "/admin/login-as-customer/settings", { token: stack.token })).settings
    await api("POST", "/admin/login-as-customer/settings", { token: stack.token, body: { enabled: true, ticket_ttl_seconds: 600 } })
  })

  afterAll(async () => {
    try {
      if (report) {
        fs.mkdirSync(OUTPUT, { recursive: true })
        fs.writeFileSync(path.join(OUTPUT, "a11y.json"), JSON.stringify(found, null, 2))
      }
      if (settingsBefore) {
        await api("POST", "/admin/login-as-customer/settings", {
          token: stack.token,
          body: { enabled: settingsBefore.enabled, ticket_ttl_seconds: settingsBefore.ticket_ttl_seconds },
        })
      }
    } finally {
      await stack.browser?.close()
    }
  })
}

/**
 * Presses Escape until `layer` is gone (three times at most): Escape closes
 * the innermost layer first (a tooltip the focused control opened is one),
 * and on a loaded machine a first press was once not taken (the drawer
 * stayed open for a minute).
 */
export async function escapeUntilDetached(page: Page, layer: Locator) {
  for (let press = 1; ; press++) {
    await page.keyboard.press("Escape")
    try {
      return await layer.waitFor({ state: "detached", timeout: press < 3 ? 5_000 : 60_000 })
    } catch (error) {
      if (press >= 3) throw error
    }
  }
}
