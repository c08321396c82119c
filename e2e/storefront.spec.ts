import { api } from "./helpers"
import {
  createCustomer as newCustomer,
  customerToken,
  endByAdmin as end,
  exchange as exchangeTicket,
  openPage,
  setConsent as consent,
  signIn as signInAs,
  start as startSession,
  stored,
  useShop,
} from "./storefront-fixtures"

jest.setTimeout(300_000)

// Chromium reports every refused request of the page itself as a console error.
const REFUSED_401 = /Failed to load resource: the server responded with a status of 401/

const shop = useShop()
const createCustomer = (email: string, first: string, last: string) => newCustomer(shop, email, first, last)
const setConsent = (email: string, allowed: boolean) => consent(shop, email, allowed)
const start = (customer: string, body: Record<string, unknown> = {}) => startSession(shop, customer, body)
const exchange = (url: string) => exchangeTicket(shop, url)
const endByAdmin = (sessionId: string) => end(shop, sessionId)
const signIn = async (page: Parameters<typeof signInAs>[0], email: string) => {
  await signInAs(page, email)
  await page.locator("#history tbody tr").first().waitFor()
}

describe("The reference storefront", () => {
  it("notices at its next action that the admin ended the session: token, cart and banner go", async () => {
    const mia = await createCustomer("mia.ended@example.com", "Mia", "Ended")
    const { url, sessionId } = await start(mia, { reason: "E2E end" })
    const context = await shop.browser.newContext()
    const { page, errors } = await openPage(context)
    await page.goto(url)
    await page.getByText("You are logged in as Mia Ended — assisted by Ada Admin").waitFor()
    await page.getByRole("button", { name: "Add to cart" }).first().click()
    await page.getByText("Added to cart.").waitFor()
    await page.getByRole("button", { name: "Place order" }).waitFor()
    expect((await stored(page)).cart).toMatch(/^cart_/)
    expect(await page.locator("#who").textContent()).toBe("Signed in as mia.ended@example.com")

    // The admin ends the session from the admin, while the storefront tab stays open.
    await endByAdmin(sessionId)

    // The storefront's next action meets 401 impersonation_ended.
    await page.getByRole("button", { name: "Add to cart" }).first().click()
    await page.getByText("The assistance session has ended.").waitFor()
    expect(await page.locator("#banner").isHidden()).toBe(true)
    expect(await page.locator("#who").textContent()).toBe("Not signed in")
    expect(await page.locator("#cart").isHidden()).toBe(true)
    expect(await page.getByRole("button", { name: "Place order" }).isVisible()).toBe(false)
    expect(await page.locator("#signin").isVisible()).toBe(true)
    expect(await stored(page)).toEqual({ token: null, cart: null })

    // Only the refused request itself was reported.
    expect(errors.filter((text) => !REFUSED_401.test(text))).toEqual([])
    expect(errors.filter((text) => REFUSED_401.test(text)).length).toBeLessThanOrEqual(1)
    await context.close()
  })

  it("disables Add to cart in a read-only session and says why, instead of letting the server refuse it", async () => {
    const rita = await createCustomer(`rita.readonly.${Date.now()}@example.com`, "Rita", "Readonly")
    const { url } = await start(rita, { reason: "E2E read-only", mode: "read_only" })
    const context = await shop.browser.newContext()
    const { page, errors } = await openPage(context)
    await page.goto(url)
    await page.locator("#banner-mode").getByText("(read-only)").waitFor()
    const buttons = page.getByRole("button", { name: "Add to cart" })
    await buttons.first().waitFor()
    expect(await buttons.count()).toBeGreaterThan(0)
    for (const button of await buttons.all()) {
      expect(await button.isDisabled()).toBe(true)
      expect(await button.getAttribute("aria-describedby")).toBe("read-only-note")
    }
    const note = page.locator("#read-only-note")
    expect(await note.isVisible()).toBe(true)
    expect(await note.textContent()).toBe("This session is read-only: products can't be added to the cart.")
    // Nothing was refused: no error on screen or in the console.
    expect((await page.locator("#message").getAttribute("class")) ?? "").not.toContain("error")
    expect(errors).toEqual([])
    await context.close()
  })

  it("ends an assisted session from the banner's one end action, and says so as news, not as an error", async () => {
    const ava = await createCustomer(`ava.banner.${Date.now()}@example.com`, "Ava", "Banner")
    const { url } = await start(ava, { reason: "E2E banner" })
    const context = await shop.browser.newContext()
    const { page, errors } = await openPage(context)
    await page.goto(url)
    const banner = page.locator("#banner")
    await banner.getByText("You are logged in as Ava Banner — assisted by Ada Admin").waitFor()
    // The page has finished drawing the account (the products come last).
    await page.getByRole("button", { name: "Add to cart" }).first().waitFor()
    // While assisted there is one way out, in the banner: no "Sign out" beside it.
    expect(await page.getByRole("button", { name: /sign out/i }).count()).toBe(0)
    expect(await banner.getByRole("button").allTextContents()).toEqual(["End session"])

    await banner.getByRole("button", { name: "End session" }).click()
    const message = page.locator("#message")
    await message.getByText("The assistance session has ended.").waitFor()
    expect(await message.getAttribute("role")).toBe("status")
    expect(await message.getAttribute("class")).not.toContain("error")
    // Signed out, the customer's own sign-in is offered again.
    expect(await page.locator("#signin").isVisible()).toBe(true)
    expect(errors).toEqual([])
    await context.close()
  })

  it("asks the customer for a last day of consent, as the admin does, not a date and time", async () => {
    const email = `leo.lastday.${Date.now()}@example.com`
    await createCustomer(email, "Leo", "Lastday")
    const context = await shop.browser.newContext({ locale: "en-US", timezoneId: "Europe/Berlin" })
    const { page, errors } = await openPage(context)
    // A new customer: no history to wait for, only the account.
    await signInAs(page, email)
    // The account is drawn (the consent filled in from the server) before the form is touched.
    await page.locator("#consent-status").getByText("Assistance allowed.").waitFor()
    const until = page.locator("#consent-expires")
    expect((await page.locator("#consent-form").innerText())).toContain("Last day (optional)")
    expect(await until.getAttribute("type")).toBe("date")
    const year = new Date().getFullYear() + 1
    await until.fill(`${year}-03-15`)
    await page.locator("#consent-form").getByRole("button", { name: "Save" }).click()
    await page.getByText(`Assistance allowed until Mar 15, ${year}.`).waitFor()
    const { remote_assistance: consent } = await api("GET", "/store/customers/me/remote-assistance", {
      token: await customerToken(email),
      key: shop.publishableKey,
    })
    // The end of that day where the customer is (Berlin, UTC+1 in March).
    expect(consent.expires_at).toBe(`${year}-03-15T22:59:59.999Z`)
    expect(await until.inputValue()).toBe(`${year}-03-15`)
    expect(errors).toEqual([])
    await context.close()
  })

  describe("Who helped me", () => {
    const email = "noah.history@example.com"
    let noah: string
    let orderDisplayId: number

    beforeAll(async () => {
      noah = await createCustomer(email, "Noah", "History")
      // 16 sessions ended by the store (the admin's End, or End session on the storefront), some read-only.
      for (let i = 1; i <= 16; i++) {
        const { url, sessionId } = await start(noah, {
          reason: `Ticket #${i}`,
          mode: i % 4 === 0 ? "read_only" : "full",
        })
        const customerSide = await exchange(url)
        if (i % 2) {
          await endByAdmin(sessionId)
        } else {
          await api("DELETE", "/store/login-as-customer/session", { token: customerSide, key: shop.publishableKey })
        }
      }
      // The 17th: an order placed in the storefront, then the customer withdraws consent.
      const { url } = await start(noah, { reason: "Ticket #17" })
      const context = await shop.browser.newContext()
      const { page } = await openPage(context)
      await page.goto(url)
      await page.getByText("You are logged in as Noah History — assisted by Ada Admin").waitFor()
      await page.getByRole("button", { name: "Add to cart" }).first().click()
      await page.getByText("Added to cart.").waitFor()
      await page.getByRole("button", { name: "Place order" }).click()
      const placed = page.getByText(/Order #\d+ placed\./).first()
      await placed.waitFor({ timeout: 60_000 })
      orderDisplayId = Number(/#(\d+)/.exec((await placed.textContent()) ?? "")![1])
      await context.close()
      await setConsent(email, false)
      // The order is attributed by a subscriber: wait until the history lists it.
      const own = await customerToken(email)
      const deadline = Date.now() + 60_000
      for (;;) {
        const { sessions } = await api("GET", "/store/customers/me/remote-assistance", { token: own, key: shop.publishableKey })
        if (sessions[0]?.order_ids?.length) break
        if (Date.now() > deadline) throw new Error("the order never reached the assistance history")
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
      await setConsent(email, true)
    })

    it("pages through 17 sessions and shows each order's number, the mode and who ended it", async () => {
      const context = await shop.browser.newContext()
      const { page, errors } = await openPage(context)
      await signIn(page, email)
      const rows = page.locator("#history tbody tr")
      const pager = page.locator("#history-pager")
      await pager.getByText("1–10 of 17").waitFor()
      expect(await rows.count()).toBe(10)

      const newest = rows.first()
      expect(await newest.textContent()).toContain("Ticket #17")
      expect(await newest.textContent()).toContain(`#${orderDisplayId}`)
      expect(await newest.textContent()).not.toContain("order_")
      expect(await newest.textContent()).toContain("Ended by you")
      expect(await newest.textContent()).toContain("Full access")
      // Ticket #16 was read-only and ended with the storefront's End session.
      const second = rows.nth(1)
      expect(await second.textContent()).toContain("Ticket #16")
      expect(await second.textContent()).toContain("Read-only")
      expect(await second.textContent()).toContain("Ended by the store")

      await pager.getByRole("button", { name: "Next" }).click()
      await pager.getByText("11–17 of 17").waitFor()
      expect(await rows.count()).toBe(7)
      expect(await rows.last().textContent()).toContain("Ticket #1")
      expect(await pager.getByRole("button", { name: "Next" }).isDisabled()).toBe(true)
      await pager.getByRole("button", { name: "Previous" }).click()
      await pager.getByText("1–10 of 17").waitFor()
      expect(await pager.getByRole("button", { name: "Previous" }).isDisabled()).toBe(true)

      expect(errors).toEqual([])
      await context.close()
    })

    it("fits a 390 px phone, and the banner stays in view while scrolling", async () => {
      const context = await shop.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
      const own = await openPage(context)
      await signIn(own.page, email)
      const fits = () =>
        own.page.evaluate(() => ({
          page: document.documentElement.scrollWidth,
          history: document.getElementById("history")!.scrollWidth,
          right: document.getElementById("history")!.getBoundingClientRect().right,
        }))
      const customerView = await fits()
      expect(customerView.page).toBeLessThanOrEqual(390)
      expect(customerView.history).toBeLessThanOrEqual(390)
      expect(customerView.right).toBeLessThanOrEqual(390)
      expect(own.errors).toEqual([])

      // The admin's view of the same account, on a phone.
      const { url } = await start(noah, { reason: "E2E phone" })
      const assisted = await openPage(context)
      await assisted.page.goto(url)
      const banner = assisted.page.locator("#banner")
      await banner.getByText("You are logged in as Noah History — assisted by Ada Admin").waitFor()
      await assisted.page.locator("#history tbody tr").first().waitFor()
      const height = await assisted.page.evaluate(() => document.documentElement.scrollHeight)
      expect(height).toBeGreaterThan(844 * 2)
      await assisted.page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
      await assisted.page.waitForFunction(() => window.scrollY > 844)
      const box = await banner.boundingBox()
      expect(box).not.toBeNull()
      expect(box!.y).toBeGreaterThanOrEqual(0)
      expect(box!.y).toBeLessThan(5)
      expect(await banner.isVisible()).toBe(true)
      expect((await fits()).page).toBeLessThanOrEqual(390)
      expect(assisted.errors).toEqual([])
      await context.close()
    })
  })
})
