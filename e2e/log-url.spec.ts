import fs from "fs"
import path from "path"
import type { Browser, Locator, Page, Response } from "playwright-core"
import { ADMIN_URL, adminPage, adminToken, api, changeSettings, launch, pluginErrors, warmAdmin } from "./helpers"

jest.setTimeout(300_000)

const LOG_PATH = "/app/login-as-customer-log"
const LIST = "/admin/login-as-customer/log"

let browser: Browser
let token: string
let adminId: string
let restoreSettings: (() => Promise<void>) | undefined
const stamp = Date.now()
// Her consent changed 25 times: with 20 lines a page, a second page of 5.
const CHANGES = 25
const customer = { email: `uma.${stamp}@example.com`, first_name: "Uma", last_name: `Url${stamp}`, id: "" }

const en = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../src/admin/i18n/en.json"), "utf8")).loginAsCustomer

/** Reads a value until it passes a check (30 s at most); the value. */
async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const isList = (response: Response) => new URL(response.url()).pathname === LIST

/** Runs an action and returns the ids of the log list's next answer (and its query), once it is shown. */
async function listed(page: Page, action: () => Promise<unknown>, matches: (url: URL) => boolean = () => true) {
  const answer = page.waitForResponse((r) => isList(r) && matches(new URL(r.url())))
  await action()
  const response = await answer
  expect(response.status()).toBe(200)
  const body = (await response.json()) as { log_entries: Array<{ id: string }>; count: number }
  const query = new URL(response.url()).searchParams
  // The table shows the answer's lines (as many rows).
  if (body.log_entries.length) await until(() => page.locator("tbody tr").count(), (rows) => rows === body.log_entries.length)
  return { ids: body.log_entries.map((entry) => entry.id), count: body.count, query }
}

/** Adds a filter from the toolbar's filter menu (its first button) and returns its open popover. */
async function addFilter(page: Page, label: string): Promise<Locator> {
  await page.getByTestId("lac-log-toolbar").getByRole("button").first().click()
  await page.getByRole("menuitem", { name: label }).click()
  const popover = page.getByRole("dialog").last()
  await popover.waitFor()
  return popover
}

/** Closes the open popover or menu, and waits until it is gone (the page behind it is hidden from the reader meanwhile). */
async function close(page: Page) {
  await page.keyboard.press("Escape")
  await until(() => page.locator('[role="dialog"], [role="menu"]').count(), (open) => open === 0)
}

/** The table's own search field, in the toolbar. */
const searchbox = (page: Page) => page.getByTestId("lac-log-toolbar").getByRole("searchbox")

/** The text of the filter pills (the bar of chosen filters under the toolbar's row). */
const pills = (page: Page) => page.getByTestId("lac-log-title").locator("xpath=../following-sibling::*[1]").innerText()

/** Everything a reader of the page sees of its state: the search, the pills, the page's range. */
async function shown(page: Page) {
  return {
    search: await searchbox(page).inputValue(),
    // The pills in any order: the page lists them in the order they were added, the address in one of its own.
    pills: (await pills(page)).split("\n").map((line) => line.trim()).filter(Boolean).sort(),
    // "21 – 25 of 25 results 2 of 2 pages"
    range: await page.getByRole("button", { name: "Next" }).locator("xpath=../..").innerText(),
  }
}

beforeAll(async () => {
  browser = await launch()
  token = await adminToken()
  await warmAdmin(browser)
  restoreSettings = await changeSettings(token, () => ({ enabled: true, access: "all_admins" }))

  const key = fs.readFileSync(path.join(process.env.E2E_DATA_DIR || ".e2e", "publishable-key.txt"), "utf8").trim()
  const { token: registration } = await api("POST", "/auth/customer/emailpass/register", {
    body: { email: customer.email, password: "supersecret" },
  })
  const created = await api("POST", "/store/customers", {
    token: registration,
    key,
    body: { email: customer.email, first_name: customer.first_name, last_name: customer.last_name },
  })
  customer.id = created.customer.id
  adminId = (await api("GET", "/admin/users/me", { token })).user.id
  for (let i = 0; i < CHANGES; i++) {
    await api("POST", `/admin/customers/${customer.id}/login-as-customer/remote-assistance`, {
      token,
      body: { allowed: i % 2 === 0 },
    })
  }
})

afterAll(async () => {
  await restoreSettings?.()
  await browser?.close()
})

describe("The log page keeps its filters, search, sort and page in its address", () => {

  it("shows the same lines and filters after a reload and in a pasted link; typing a search adds no history entry", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    await listed(page, () => page.goto(`${ADMIN_URL}${LOG_PATH}`))

    const actions = await addFilter(page, en.log.action)
    await listed(page, () => actions.getByText(en.log.actions.assistance_updated).click())
    await close(page)
    const customers = await addFilter(page, en.log.customer)
    await customers.locator("input").first().fill(customer.last_name)
    await listed(page, () => customers.getByText(customer.email).first().click())
    await close(page)
    const admins = await addFilter(page, en.log.admin)
    await admins.locator("input").first().fill("Ada")
    await listed(page, () => admins.getByText("admin@example.com").first().click())
    await close(page)

    // Typing replaces the address rather than adding a step per search.
    const steps = await page.evaluate(() => history.length)
    await listed(page, () => searchbox(page).fill(customer.last_name), (url) => url.searchParams.get("q") === customer.last_name)
    expect(await page.evaluate(() => history.length)).toBe(steps)

    // Oldest first, then the second page.
    await page.getByTestId("lac-log-toolbar").getByRole("button").nth(1).click()
    await listed(page, () => page.getByRole("menuitemradio", { name: "A-Z" }).click(), (url) => url.searchParams.get("order") === "created_at")
    await close(page)
    const second = await listed(page, () => page.getByRole("button", { name: "Next" }).click(), (url) => url.searchParams.get("offset") === "20")
    expect(second.count).toBe(CHANGES)
    expect(second.ids).toHaveLength(CHANGES - 20)
    expect(second.query.getAll("action")).toEqual(["assistance_updated"])
    expect(second.query.getAll("customer_id")).toEqual([customer.id])
    expect(second.query.getAll("user_id")).toHaveLength(1)
    const secondPage = second.ids

    const url = new URL(page.url())
    expect(url.searchParams.get("q")).toBe(customer.last_name)
    expect(url.searchParams.get("order")).toBe("created_at")
    expect(url.searchParams.get("offset")).toBe("20")
    expect(url.searchParams.get("action")).toBe("assistance_updated")
    expect(url.searchParams.get("customer_id")).toBe(customer.id)
    const address = page.url()
    const before = await shown(page)
    // The pills name the picked ones, not their ids.
    expect(before.pills.join(" ")).toContain(customer.email)
    expect(before.pills.join(" ")).toContain("admin@example.com")
    expect(before.pills.join(" ")).not.toContain(customer.id)

    // Reloaded: the same lines, the same search, pills (names looked up by id) and range.
    const reloaded = await listed(page, () => page.reload())
    expect(reloaded.ids).toEqual(secondPage)
    await until(() => pills(page), (text) => text.includes(customer.email))
    await until(() => pills(page), (text) => text.includes("admin@example.com"))
    expect(await shown(page)).toEqual(before)
    expect(page.url()).toBe(address)
    expect(errors).toEqual([])
    await context.close()

    // The link opened by a colleague, in a session of their own.
    const other = await adminPage(browser)
    const otherErrors = pluginErrors(other.page)
    const opened = await listed(other.page, () => other.page.goto(address))
    expect(opened.ids).toEqual(secondPage)
    await until(() => pills(other.page), (text) => text.includes(customer.email))
    await until(() => pills(other.page), (text) => text.includes("admin@example.com"))
    expect(await shown(other.page)).toEqual(before)

    // With a date range in the link too (from yesterday): the same lines, the range asked of the server.
    const dated = new URL(address)
    dated.searchParams.set("created_at", JSON.stringify({ $gte: new Date(Date.now() - 86_400_000).toISOString() }))
    const withDate = await listed(other.page, () => other.page.goto(dated.toString()))
    expect(withDate.ids).toEqual(secondPage)
    expect(withDate.query.get("created_at[gte]")).toBe(JSON.parse(dated.searchParams.get("created_at")!).$gte)
    expect(await pills(other.page)).toContain(en.log.date)
    expect(otherErrors).toEqual([])
    await other.context.close()
  })

  it("comes back to the same lines with Back after opening an entry and another page", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    // The second page, oldest first, of the admin's consent changes for her, found by her name.
    const link = new URLSearchParams({ q: customer.last_name, action: "assistance_updated", user_id: adminId, customer_id: customer.id })
    link.set("order", "created_at")
    link.set("offset", "20")
    const address = `${ADMIN_URL}${LOG_PATH}?${link}`
    const opened = await listed(page, () => page.goto(address))
    expect(opened.ids).toHaveLength(CHANGES - 20)
    expect(opened.query.get("order")).toBe("created_at")
    await until(() => pills(page), (text) => text.includes(customer.email))
    const before = await shown(page)
    expect(before.search).toBe(customer.last_name)
    const rows = await page.locator("tbody tr").allInnerTexts()

    await page.locator("tbody tr").first().click()
    await page.getByTestId("lac-log-drawer").waitFor()
    await close(page)
    await page.getByTestId("lac-log-drawer").waitFor({ state: "detached" })
    // Another page of the admin, through its own navigation, then Back (the lines may come from the page's cache).
    await page.getByRole("link", { name: "Customers" }).first().click()
    await page.waitForURL((url) => url.pathname.startsWith("/app/customers"))
    await page.goBack()
    await page.waitForURL(address)
    await until(() => page.locator("tbody tr").allInnerTexts(), (texts) => JSON.stringify(texts) === JSON.stringify(rows))
    await until(() => pills(page), (text) => text.includes(customer.email))
    // The customers page's own paging ("1 – 11 of 11 results") may still be shown a moment beside the log's lines.
    expect(await until(() => shown(page), (now) => JSON.stringify(now) === JSON.stringify(before))).toEqual(before)
    expect(page.url()).toBe(address)
    expect(errors).toEqual([])
    await context.close()
  })

  it("ignores or clamps invalid and hostile values in the address, without an error or a blank page", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    const dialogs: string[] = []
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    const refused: string[] = []
    page.on("response", (r) => {
      if (isList(r) && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`)
    })
    const hostile = new URLSearchParams()
    hostile.append("action", "not_an_action,assistance_updated")
    hostile.append("action", "<script>alert(1)</script>")
    hostile.append("customer_id", customer.id)
    hostile.append("customer_id", `${customer.id},${customer.id}`)
    hostile.append("user_id", '"><img src=x onerror=alert(2)>')
    hostile.append("q", customer.last_name)
    hostile.append("q", "second value")
    hostile.append("order", "created_at; DROP TABLE log")
    hostile.append("offset", "99999999999999999999")
    hostile.append("offset", "20")
    hostile.append("created_at", '{"$gte":"banana","$lte":"<script>alert(3)</script>"}')
    hostile.append("limit", "100000")

    // The huge offset goes to the last page there is (lines 21–25, newest first: the default order).
    const shownLines = await listed(
      page,
      () => page.goto(`${ADMIN_URL}${LOG_PATH}?${hostile}`),
      (url) => url.searchParams.get("offset") === "20"
    )
    expect(shownLines.count).toBe(CHANGES)
    expect(shownLines.ids).toHaveLength(CHANGES - 20)
    const query = shownLines.query
    expect(query.getAll("action")).toEqual(["assistance_updated"])
    expect(query.getAll("customer_id")).toEqual([customer.id])
    expect(query.getAll("user_id")).toEqual([])
    expect(query.get("q")).toBe(customer.last_name)
    expect(query.get("order")).toBe("-created_at")
    expect(query.get("limit")).toBe("20")
    expect(query.get("created_at[gte]")).toBeNull()
    expect(query.get("created_at[lte]")).toBeNull()

    // The address says what is shown: the ignored values are gone from it.
    await until(() => new URL(page.url()).searchParams.getAll("offset").join(), (offsets) => offsets === "20")
    const address = new URL(page.url()).searchParams
    expect(address.getAll("action")).toEqual(["assistance_updated"])
    expect(address.getAll("user_id")).toEqual([])
    expect(address.getAll("q")).toEqual([customer.last_name])
    expect(address.get("created_at")).toBeNull()
    expect(address.get("order")).toBeNull()
    await until(() => pills(page), (text) => text.includes(customer.email))
    expect(await searchbox(page).inputValue()).toBe(customer.last_name)
    expect(await page.getByTestId("lac-log-error").count()).toBe(0)

    // Script text as the search is only text: searched for, shown as typed, never run.
    const script = '<img src=x onerror="window.__lacHacked=1">'
    await listed(page, () => page.goto(`${ADMIN_URL}${LOG_PATH}?q=${encodeURIComponent(script)}`), (url) => url.searchParams.get("q") === script)
    await page.getByTestId("lac-log-no-match").waitFor()
    expect(await searchbox(page).inputValue()).toBe(script)
    expect(await page.evaluate(() => (window as unknown as { __lacHacked?: number }).__lacHacked)).toBeUndefined()
    expect(dialogs).toEqual([])
    expect(refused).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  })

  it("links from the customer's page to the log filtered by that customer", async () => {
    const { context, page } = await adminPage(browser)
    const errors = pluginErrors(page)
    await page.goto(`${ADMIN_URL}/app/customers/${customer.id}`)
    const link = page.getByTestId("lac-widget").getByRole("link", { name: en.log.viewInLog })
    await link.waitFor({ timeout: 120_000 })
    const opened = await listed(page, () => link.click())
    expect(new URL(page.url()).pathname).toBe(LOG_PATH)
    expect(new URL(page.url()).searchParams.get("customer_id")).toBe(customer.id)
    expect(opened.query.getAll("customer_id")).toEqual([customer.id])
    expect(opened.count).toBe(CHANGES)
    await until(() => pills(page), (text) => text.includes(customer.email))
    expect(errors).toEqual([])
    await context.close()
  })
})
