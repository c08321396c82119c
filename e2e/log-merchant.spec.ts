import fs from "fs"
import path from "path"
import type { Browser, Locator, Page } from "playwright-core"
import { ADMIN_URL, adminPage, adminToken, api, changeSettings, launch, placeOrderThroughStore, pluginErrors, warmAdmin } from "./helpers"

jest.setTimeout(300_000)

const LOG_URL = `${ADMIN_URL}/app/login-as-customer-log`

let browser: Browser
let token: string
let key: string
let restoreSettings: (() => Promise<void>) | undefined
const stamp = Date.now()
const ticketRef = `TCK-${stamp}`
const customer = { email: `mara.${stamp}@example.com`, first_name: "Mara", last_name: `Merchant${stamp}`, id: "" }

/** The log page, its table loaded, searched for a text. */
async function searchLog(page: Page, text: string): Promise<Locator> {
  await page.goto(LOG_URL)
  const rows = page.locator("tbody tr")
  await rows.first().waitFor({ timeout: 120_000 })
  const answered = page.waitForResponse(
    (r) => new URL(r.url()).pathname === "/admin/login-as-customer/log" && new URL(r.url()).searchParams.get("q") === text
  )
  await page.getByRole("searchbox").fill(text)
  expect((await answered).status()).toBe(200)
  return rows
}

/** Whether an element's text sits on more than one line (measured on its text, not its box). */
async function wraps(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const range = document.createRange()
    range.selectNodeContents(element)
    const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)))
    return tops.size > 1
  })
}

/** The newest seal checkpoint, once the seal job (every minute) has written one with a digest. */
async function newestSeal(): Promise<{ seq: number; digest: string }> {
  for (const started = Date.now(); Date.now() - started < 180_000; await new Promise((r) => setTimeout(r, 2000))) {
    const { health } = await api("GET", "/admin/login-as-customer/log/health", { token })
    if (health.last_seal?.digest) return health.last_seal
  }
  throw new Error("no seal checkpoint within 3 minutes")
}

const locale = (language: string) =>
  JSON.parse(fs.readFileSync(path.resolve(__dirname, `../src/admin/i18n/${language}.json`), "utf8")).loginAsCustomer

beforeAll(async () => {
  browser = await launch()
  token = await adminToken()
  key = fs.readFileSync(path.join(process.env.E2E_DATA_DIR || ".e2e", "publishable-key.txt"), "utf8").trim()
  await warmAdmin(browser)
  restoreSettings = await changeSettings(token, (settings) => ({
    enabled: true,
    restricted_actions: [...new Set([...settings.restricted_actions, "manage_addresses"])],
  }))

  // A customer of this file's own (her data gets erased), who allows assistance.
  const { token: registration } = await api("POST", "/auth/customer/emailpass/register", {
    body: { email: customer.email, password: "supersecret" },
  })
  const created = await api("POST", "/store/customers", {
    token: registration,
    key,
    body: { email: customer.email, first_name: customer.first_name, last_name: customer.last_name },
  })
  customer.id = created.customer.id
  const { token: login } = await api("POST", "/auth/customer/emailpass", { body: { email: customer.email, password: "supersecret" } })
  await api("POST", "/store/customers/me/remote-assistance", { token: login, key, body: { allowed: true } })

  // A full session with a ticket reference: an address change refused, an order placed.
  const started = await api("POST", `/admin/customers/${customer.id}/login-as-customer`, {
    token,
    body: { reason: `Phone call, ticket ${ticketRef}`, mode: "full" },
  })
  const ticket = new URLSearchParams(new URL(started.redirect_url).hash.slice(1)).get("ticket")
  const { token: storeToken } = await api("POST", "/store/login-as-customer/sessions", { key, body: { ticket } })
  await expect(
    api("POST", "/store/customers/me/addresses", { token: storeToken, key, body: { address_1: "Hauptstraße 5", country_code: "de" } })
  ).rejects.toThrow(/restricted_while_impersonating/)
  await placeOrderThroughStore({ token: storeToken, key })
  await api("DELETE", "/store/login-as-customer/session", { token: storeToken, key })
})

afterAll(async () => {
  await restoreSettings?.()
  await browser?.close()
})

describe("The log as a merchant reads it", () => {
  it("says which restricted action was refused, in the row and in the drawer, in the admin's language", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    const en = locale("en")
    const rows = await searchLog(page, ticketRef)
    const refused = rows.filter({ hasText: en.log.actions.store_action }).filter({ has: page.getByTestId("lac-log-refused") }).first()
    await refused.waitFor()
    expect(await refused.getByTestId("lac-log-restricted").innerText()).toContain(en.settings.action_manage_addresses)
    await refused.click()
    const drawer = page.getByTestId("lac-log-drawer")
    await drawer.getByTestId("lac-log-field-restricted").waitFor()
    expect(await drawer.getByTestId("lac-log-field-restricted").innerText()).toContain(en.settings.action_manage_addresses)
    expect(errors).toEqual([])
    await context.close()

    // The same line in Spanish: the settings' own label for the action.
    const es = locale("es")
    const spanish = await adminPage(browser, { language: "es" })
    const esErrors = pluginErrors(spanish.page)
    const esRows = await searchLog(spanish.page, ticketRef)
    await esRows.filter({ has: spanish.page.getByTestId("lac-log-refused") }).first().click()
    const esDrawer = spanish.page.getByTestId("lac-log-drawer")
    await esDrawer.getByTestId("lac-log-field-restricted").waitFor()
    const field = await esDrawer.getByTestId("lac-log-field-restricted").innerText()
    expect(field).toContain(es.log.fields.restrictedAction)
    expect(field).toContain(es.settings.action_manage_addresses)
    expect(field).not.toContain("manage_addresses")
    expect(esErrors).toEqual([])
    await spanish.context.close()
  })

  it("finds the session's store actions and its order by the ticket reference, each with the reason and the mode", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    const en = locale("en")
    const rows = await searchLog(page, ticketRef)
    for (const action of [en.log.actions.store_action, en.log.actions.order_placed, en.log.actions.session_started]) {
      const row = rows.filter({ hasText: action }).first()
      await row.waitFor()
      const text = await row.innerText()
      expect(text).toContain(ticketRef)
      expect(text).toContain(en.log.modes.full)
    }
    expect(errors).toEqual([])
    await context.close()
  })

  it("erases a customer's personal data from a line's drawer, then shows it erased instead of offering it again", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    const en = locale("en")
    const rows = await searchLog(page, customer.email)
    await rows.filter({ hasText: en.log.actions.session_started }).first().click()
    const drawer = page.getByTestId("lac-log-drawer")
    await drawer.getByTestId("lac-log-erase").click()
    const erased = page.waitForResponse((r) => new URL(r.url()).pathname === "/admin/login-as-customer/log/erase" && r.request().method() === "POST")
    await page.getByTestId("lac-log-erase-confirm").click()
    expect((await erased).status()).toBe(200)
    await drawer.getByTestId("lac-log-erased").waitFor()
    expect(await drawer.getByTestId("lac-log-erase").count()).toBe(0)
    await page.keyboard.press("Escape")
    await drawer.waitFor({ state: "detached" })

    // Reloaded and filtered to that customer, the title row says it too.
    await page.goto(LOG_URL)
    await page.locator("tbody tr").first().waitFor({ timeout: 120_000 })
    await page.getByTestId("lac-log-toolbar").getByRole("button").first().click()
    await page.getByRole("menuitem", { name: en.log.customer }).click()
    const popover = page.getByRole("dialog").last()
    await popover.locator("input").first().fill(customer.last_name)
    await popover.getByText(customer.email).first().click()
    await page.keyboard.press("Escape")
    await page.getByTestId("lac-log-toolbar").getByTestId("lac-log-erased").waitFor()
    expect(await page.getByTestId("lac-log-erase").count()).toBe(0)

    // Her reasons went with the rest: the ticket reference no longer finds her lines.
    await page.getByRole("button", { name: "Clear all" }).click()
    await page.getByRole("searchbox").fill(ticketRef)
    await page.getByText(en.log.noMatch).waitFor()
    expect(errors).toEqual([])
    await context.close()
  })

  it("keeps the newest checkpoint from Settings → Log health and the log page's verification finds the log still holds it", async () => {
    const { context, page } = await adminPage(browser)
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: ADMIN_URL })
    const errors = pluginErrors(page)
    // The seal job runs every minute: this file's lines are in a checkpoint soon after they were written.
    const sealed = await newestSeal()
    await page.goto(`${ADMIN_URL}/app/settings/login-as-customer`)
    const row = page.getByTestId("lac-log-health-checkpoint")
    await row.waitFor({ timeout: 120_000 })
    const seq = Number((await row.getByText(/^Checkpoint #\d+$/).innerText()).replace(/\D/g, ""))
    expect(seq).toBeGreaterThanOrEqual(sealed.seq)
    const digest = (await row.getByTestId("lac-kept-checkpoint-digest").getAttribute("data-digest"))!
    expect(digest).toMatch(/^[0-9a-f]{64}$/)
    const { health } = await api("GET", "/admin/login-as-customer/log/health", { token })
    if (health.last_seal.seq === seq) expect(health.last_seal.digest).toBe(digest)
    // Shortened for the eye, whole for a screen reader and on focus.
    await row.getByText(`${digest.slice(0, 8)}…${digest.slice(-8)}`, { exact: true }).waitFor()
    await row.getByText("Keep this outside the store's database; verification can check the log still holds it.").waitFor()
    await row.getByRole("button", { name: "Copy" }).click()
    await row.getByTestId("lac-kept-checkpoint-copied").getByText("Copied").waitFor()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied).toBe(`{"seq":${seq},"digest":"${digest}"}`)

    await page.goto(LOG_URL)
    await page.getByTestId("lac-log-integrity-verified").waitFor({ timeout: 120_000 })
    const open = page.getByRole("button", { name: "Check a kept checkpoint" })
    // Escape closes the field and gives the focus back.
    await open.click()
    const field = page.getByRole("textbox", { name: "Checkpoint you kept" })
    expect(await field.evaluate((element) => element === document.activeElement)).toBe(true)
    await page.keyboard.press("Escape")
    await field.waitFor({ state: "detached" })
    expect(await open.evaluate((element) => element === document.activeElement)).toBe(true)
    await page.keyboard.press("Enter")
    // A mistyped one is refused before it is sent, saying what is wrong.
    await field.fill(`{"seq":${seq},"digest":"${digest.slice(1)}"}`)
    await page.keyboard.press("Enter")
    await page.getByTestId("lac-kept-checkpoint-error").getByText("Its digest must be 64 hexadecimal characters (0–9, a–f).").waitFor()
    expect(await field.getAttribute("aria-invalid")).toBe("true")
    await field.fill(`{"seq":0,"digest":"${digest}"}`)
    await page.keyboard.press("Enter")
    await page.getByTestId("lac-kept-checkpoint-error").getByText("Its seq must be a whole number of 1 or more.").waitFor()
    // The one copied, pasted.
    await field.fill("")
    await page.keyboard.press("ControlOrMeta+V")
    expect(await field.inputValue()).toBe(copied)
    const asked = page.waitForRequest((r) => new URL(r.url()).pathname === "/admin/login-as-customer/log/verify" && r.method() === "POST")
    await page.keyboard.press("Enter")
    expect((await asked).postDataJSON()).toEqual({ anchor: { seq, digest } })
    await page.getByTestId("lac-log-integrity-anchor").getByText(`The log still holds checkpoint #${seq} you kept`).waitFor()
    await page.getByTestId("lac-log-integrity-verified").waitFor()

    // Kept with another digest, or past the chain's end: the first mismatch says so in words.
    const other = `${digest[0] === "0" ? "1" : "0"}${digest.slice(1)}`
    await open.click()
    await field.fill(JSON.stringify({ seq, digest: other }))
    await page.keyboard.press("Enter")
    await page.getByTestId("lac-log-integrity-mismatch").getByText(/The log holds another digest for the checkpoint given/).waitFor()
    expect(await page.getByTestId("lac-log-integrity-mismatch").innerText()).toContain("anchor_mismatch")
    await open.click()
    await field.fill(JSON.stringify({ seq: seq + 1000, digest }))
    await page.keyboard.press("Enter")
    await page.getByTestId("lac-log-integrity-mismatch").getByText(/The log ends before the checkpoint given/).waitFor()

    // Without it: the plain verification again (and the last one the settings page shows).
    const plain = page.waitForResponse(
      (r) => new URL(r.url()).pathname === "/admin/login-as-customer/log/verify" && !r.request().postDataJSON()?.anchor
    )
    await page.getByRole("button", { name: `Verify without checkpoint #${seq + 1000}` }).click()
    expect((await (await plain).json()).verified).toBe(true)
    await page.getByTestId("lac-log-integrity-verified").waitFor()
    expect(await page.getByTestId("lac-log-integrity-anchor").count()).toBe(0)
    expect(errors).toEqual([])
    await context.close()
  })

  it("shows the checkpoint to keep right to left in Arabic, the digest and the pasted JSON left to right", async () => {
    await newestSeal()
    const { context, page } = await adminPage(browser, { language: "ar" })
    const errors = pluginErrors(page)
    const ar = locale("ar")
    await page.goto(`${ADMIN_URL}/app/settings/login-as-customer`)
    const row = page.getByTestId("lac-log-health-checkpoint")
    await row.waitFor({ timeout: 120_000 })
    await row.getByText(ar.logIntegrity.keepHint).waitFor()
    const digest = row.getByTestId("lac-kept-checkpoint-digest")
    const copy = row.getByRole("button", { name: ar.logIntegrity.copy })
    expect(await digest.evaluate((element) => getComputedStyle(element).direction)).toBe("ltr")
    // Right to left, the row reads from the right: the checkpoint, its digest, then Copy on its left.
    expect((await copy.boundingBox())!.x).toBeLessThan((await digest.boundingBox())!.x)
    await page.goto(LOG_URL)
    await page.getByRole("button", { name: ar.logIntegrity.checkKept }).click({ timeout: 120_000 })
    const field = page.getByRole("textbox", { name: ar.logIntegrity.keptField })
    expect(await field.evaluate((element) => getComputedStyle(element).direction)).toBe("ltr")
    await field.fill("12")
    await page.keyboard.press("Enter")
    await page.getByTestId("lac-kept-checkpoint-error").getByText(ar.logIntegrity.keptFormat).waitFor()
    // The JSON it shows reads left to right inside the Arabic sentence: "{" left of "digest", left of "}".
    const json = page.getByTestId("lac-kept-checkpoint-error").locator("code")
    const lefts = await json.evaluate((element) => {
      const text = element.firstChild!
      const range = document.createRange()
      return [0, text.textContent!.indexOf("digest"), text.textContent!.length - 1].map((at) => {
        range.setStart(text, at)
        range.setEnd(text, at + 1)
        return range.getBoundingClientRect().x
      })
    })
    expect(lefts).toEqual([...lefts].sort((a, b) => a - b))
    expect(errors).toEqual([])
    await context.close()
  })

  it.each([1440, 390])("lays the header out as Medusa's list pages at %i px: title first, then the chart; Export on one line", async (width) => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    await page.setViewportSize({ width, height: 900 })
    await page.goto(LOG_URL)
    await page.locator("tbody tr").first().waitFor({ timeout: 120_000 })
    const chart = page.getByTestId("lac-chart")
    await chart.waitFor()
    const title = page.getByTestId("lac-log-title").getByRole("heading")
    const exportButton = page.getByTestId("lac-export")
    expect(await wraps(exportButton)).toBe(false)
    const [titleBox, chartBox, exportBox] = [await title.boundingBox(), await chart.boundingBox(), await exportButton.boundingBox()]
    expect(titleBox!.y + titleBox!.height).toBeLessThanOrEqual(chartBox!.y)
    // The page's action on the title's row (at 1440 px), above the chart, inside the window.
    expect(exportBox!.y + exportBox!.height).toBeLessThanOrEqual(chartBox!.y)
    expect(exportBox!.x + exportBox!.width).toBeLessThanOrEqual(width)
    if (width >= 1440) {
      expect(Math.abs(exportBox!.y - titleBox!.y)).toBeLessThan(titleBox!.height)
      expect(exportBox!.x).toBeGreaterThan(titleBox!.x + titleBox!.width)
    }
    expect(errors).toEqual([])
    await context.close()
  })
})
