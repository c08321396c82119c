// The reference storefront as a shopper and an assisting admin see it, at
// 1440 px and on a 390 px phone: its forms, its checkout, its messages.
import type { Page } from "playwright-core"
import { api, STOREFRONT_URL } from "./helpers"
import { createCustomer, customerToken, endByAdmin, exchange, openPage, signIn, start, useShop } from "./storefront-fixtures"

jest.setTimeout(300_000)

const shop = useShop()
const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }

type Box = { top: number; bottom: number; left: number; right: number }

/** Where the consent form's parts are, and what sticks out of it. */
const consentLayout = (page: Page) =>
  page.evaluate(() => {
    const form = document.getElementById("consent-form")!
    const box = (el: Element | null): Box | null => {
      if (!el) return null
      const r = el.getBoundingClientRect()
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }
    }
    const allowed = document.getElementById("consent-allowed") as HTMLInputElement
    const until = document.getElementById("consent-expires") as HTMLInputElement
    const save = form.querySelector('button[type="submit"]')!
    const explanation = document.getElementById(allowed.getAttribute("aria-describedby") || "-")
    const untilHint = document.getElementById(until.getAttribute("aria-describedby") || "-")
    const outer = form.getBoundingClientRect()
    const sticksOut = [...form.querySelectorAll("*")]
      .filter((el) => {
        const r = el.getBoundingClientRect()
        return r.width > 0 && (r.right > outer.right + 0.5 || r.left < outer.left - 0.5)
      })
      .map((el) => el.id || el.tagName)
    return {
      allowedLabel: allowed.labels?.[0]?.textContent?.trim() ?? null,
      allowedLabelBox: box(allowed.labels?.[0] ?? null),
      allowed: box(allowed)!,
      explanation: explanation?.textContent?.trim() ?? null,
      explanationBox: box(explanation),
      untilLabel: until.labels?.[0]?.textContent?.trim() ?? null,
      untilLabelBox: box(until.labels?.[0] ?? null),
      until: box(until)!,
      untilHint: box(untilHint),
      save: box(save)!,
      sticksOut,
      pageWidth: document.documentElement.scrollWidth,
    }
  })

function expectAFormLayout(layout: Awaited<ReturnType<typeof consentLayout>>, width: number) {
  // Each control has its own label, and the checkbox its explanation.
  expect(layout.allowedLabel).toBe("Allow remote shopping assistance")
  expect(layout.untilLabel).toBe("Last day (optional)")
  expect(layout.explanation).toMatch(/store/)
  // The checkbox's explanation sits under its label, not after it on the line.
  expect(layout.explanationBox!.top).toBeGreaterThanOrEqual(layout.allowedLabelBox!.bottom - 1)
  expect(layout.explanationBox!.left).toBeGreaterThan(layout.allowed.right - 1)
  // Stacked: the checkbox and its explanation, then the date field under its label, then Save on its own.
  expect(layout.untilLabelBox!.top).toBeGreaterThanOrEqual(layout.explanationBox!.bottom - 1)
  expect(layout.until.top).toBeGreaterThanOrEqual(layout.untilLabelBox!.bottom - 1)
  expect(layout.untilHint!.top).toBeGreaterThanOrEqual(layout.until.bottom - 1)
  expect(layout.save.top).toBeGreaterThanOrEqual(layout.untilHint!.bottom - 1)
  // Nothing wider than the form or the screen.
  expect(layout.sticksOut).toEqual([])
  expect(layout.pageWidth).toBeLessThanOrEqual(width)
}

describe("The reference storefront's layout", () => {
  it("lays the consent form out as a form, at 1440 px and on a phone, for the customer and the assisting admin", async () => {
    const email = `lina.layout.${Date.now()}@example.com`
    const lina = await createCustomer(shop, email, "Lina", "Layout")
    for (const viewport of [DESKTOP, PHONE]) {
      const context = await shop.browser.newContext({ viewport, isMobile: viewport === PHONE })
      const own = await openPage(context)
      await signIn(own.page, email)
      expectAFormLayout(await consentLayout(own.page), viewport.width)
      expect(own.errors).toEqual([])

      const { url } = await start(shop, lina, { reason: `Layout ${viewport.width}` })
      const assisted = await openPage(context)
      await assisted.page.goto(url)
      await assisted.page.locator("#consent-status").getByText("Only the customer can change this.").waitFor()
      expectAFormLayout(await consentLayout(assisted.page), viewport.width)
      expect(assisted.errors).toEqual([])
      await context.close()
    }
  })

  it("puts each sign-in label above its field, at 1440 px and on a phone", async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const context = await shop.browser.newContext({ viewport, isMobile: viewport === PHONE })
      const { page, errors } = await openPage(context)
      await page.goto(STOREFRONT_URL)
      const fields = await page.evaluate(() =>
        ["email", "password"].map((name) => {
          const input = document.querySelector(`#signin-form input[name="${name}"]`) as HTMLInputElement
          const label = input.labels![0]
          // Where the label's words are drawn (a label may wrap its field).
          const words = [...label.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())!
          const range = document.createRange()
          range.selectNodeContents(words)
          const l = range.getBoundingClientRect()
          const i = input.getBoundingClientRect()
          return { text: words.textContent!.trim(), labelTop: l.top, inputTop: i.top, inputBottom: i.bottom, inputRight: i.right }
        })
      )
      const submit = await page.locator("#signin-form").getByRole("button", { name: "Sign in" }).boundingBox()
      const [emailField, passwordField] = fields
      expect(emailField.text).toBe("Email")
      expect(passwordField.text).toBe("Password")
      // The label's text on its own line above the field; the fields one under the other, then the button.
      for (const field of fields) expect(field.inputTop).toBeGreaterThan(field.labelTop + 10)
      expect(passwordField.labelTop).toBeGreaterThanOrEqual(emailField.inputBottom - 1)
      expect(submit!.y).toBeGreaterThanOrEqual(passwordField.inputBottom - 1)
      for (const field of fields) expect(field.inputRight).toBeLessThanOrEqual(viewport.width)
      expect(errors).toEqual([])
      await context.close()
    }
  })

  it("ships the demo's checkout to an address in one country of the demo's region, and says where before the order is placed", async () => {
    const email = `otto.address.${Date.now()}@example.com`
    await createCustomer(shop, email, "Otto", "Address")
    const context = await shop.browser.newContext({ viewport: DESKTOP })
    const { page, errors } = await openPage(context)
    await signIn(page, email)
    await page.getByRole("button", { name: "Add to cart" }).first().click()
    await page.getByText("Added to cart.").waitFor()
    // The demo's region (de, fr, es, it, nl) ships from Berlin: a German address in Berlin.
    const shipsTo = page.locator("#cart-address")
    await shipsTo.getByText("Ships to Otto Address, Friedrichstraße 1, 10117 Berlin, Germany").waitFor()
    await page.getByRole("button", { name: "Place order" }).click()
    const placed = page.locator("#message").getByText(/Order #\d+ placed\./)
    await placed.waitFor()
    const displayId = Number(/#(\d+)/.exec((await placed.textContent()) ?? "")![1])
    const { orders } = await api(
      "GET",
      `/admin/orders?display_id=${displayId}&fields=id,display_id,region_id,*shipping_address,*billing_address`,
      { token: shop.token }
    )
    const order = orders.find((o: { display_id: number }) => o.display_id === displayId)
    for (const address of [order.shipping_address, order.billing_address]) {
      expect({
        first_name: address.first_name,
        last_name: address.last_name,
        address_1: address.address_1,
        postal_code: address.postal_code,
        city: address.city,
        country_code: address.country_code,
      }).toEqual({
        first_name: "Otto",
        last_name: "Address",
        address_1: "Friedrichstraße 1",
        postal_code: "10117",
        city: "Berlin",
        country_code: "de",
      })
    }
    expect(errors).toEqual([])
    await context.close()
  })

  it("ships to the customer's own saved address when it is in the region, whole, not mixed with the demo's", async () => {
    const email = `pia.saved.${Date.now()}@example.com`
    await createCustomer(shop, email, "Pia", "Saved")
    await api("POST", "/store/customers/me/addresses", {
      token: await customerToken(email),
      key: shop.publishableKey,
      body: { first_name: "Pia", last_name: "Saved", address_1: "5 Rue Oberkampf", city: "Paris", postal_code: "75011", country_code: "fr" },
    })
    const context = await shop.browser.newContext({ viewport: DESKTOP })
    const { page, errors } = await openPage(context)
    await signIn(page, email)
    await page.getByRole("button", { name: "Add to cart" }).first().click()
    await page.locator("#cart-address").getByText("Ships to Pia Saved, 5 Rue Oberkampf, 75011 Paris, France").waitFor()
    expect(errors).toEqual([])
    await context.close()
  })

  it("gives the history's short columns one line each at 1440 px; the reason takes the rest", async () => {
    const email = `hana.history.${Date.now()}@example.com`
    const hana = await createCustomer(shop, email, "Hana", "History")
    // One session the store ended, one in progress.
    const first = await start(shop, hana, { reason: "Customer called about an order that arrived damaged", mode: "read_only" })
    await exchange(shop, first.url)
    await endByAdmin(shop, first.sessionId)
    await exchange(shop, (await start(shop, hana, { reason: "Ticket 4711" })).url)
    const context = await shop.browser.newContext({ viewport: DESKTOP })
    const { page, errors } = await openPage(context)
    await signIn(page, email)
    await page.locator("#history tbody tr").first().waitFor()
    const lines = await page.evaluate(() =>
      [...document.querySelectorAll("#history th, #history td .value")].map((el) => {
        const range = document.createRange()
        range.selectNodeContents(el.firstChild ?? el)
        return { text: el.firstChild?.textContent ?? "", lines: range.getClientRects().length }
      })
    )
    // Every header and every value but the reason on a single line ("Assisted by", "Read-only", the times).
    expect(lines.filter((cell) => cell.lines > 1 && !cell.text.startsWith("Customer called"))).toEqual([])
    expect(lines.map((cell) => cell.text)).toContain("Read-only")
    expect(errors).toEqual([])
    await context.close()
  })

  it("keeps 'Signed in as' on screen while the account redraws after a change", async () => {
    const email = `sam.steady.${Date.now()}@example.com`
    await createCustomer(shop, email, "Sam", "Steady")
    const context = await shop.browser.newContext({ viewport: DESKTOP })
    const { page, errors } = await openPage(context)
    await signIn(page, email)
    // Every text the header shows from now on.
    await page.evaluate(() => {
      const who = document.getElementById("who")!
      const seen: string[] = ((window as unknown as { whoSeen: string[] }).whoSeen = [])
      new MutationObserver(() => seen.push(who.textContent ?? "")).observe(who, {
        childList: true,
        characterData: true,
        subtree: true,
      })
    })
    await page.locator("#consent-form").getByRole("button", { name: "Save" }).click()
    await page.locator("#message").getByText("Saved.").waitFor()
    await page.getByRole("button", { name: "Add to cart" }).first().waitFor()
    const seen = await page.evaluate(() => (window as unknown as { whoSeen: string[] }).whoSeen)
    expect(seen.filter((text) => text !== `Signed in as ${email}`)).toEqual([])
    expect(await page.locator("#who").textContent()).toBe(`Signed in as ${email}`)
    expect(errors).toEqual([])
    await context.close()
  })

  it("shows what happened where the shopper is looking on a phone: added to cart, order placed", async () => {
    const email = `pau.phone.${Date.now()}@example.com`
    await createCustomer(shop, email, "Pau", "Phone")
    const context = await shop.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true })
    const { page, errors } = await openPage(context)
    await signIn(page, email)
    const inView = async (text: string | RegExp) => {
      const message = page.locator("#message").getByText(text)
      await message.waitFor()
      const box = (await message.boundingBox())!
      return box.y >= 0 && box.y + box.height <= PHONE.height
    }
    // The products in one order on every visit (by title), not as the database happens to return them.
    await page.getByRole("button", { name: "Add to cart" }).first().waitFor()
    const titles = await page.locator("#products .product > div:first-child").allTextContents()
    expect(titles.length).toBeGreaterThan(1)
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b)))
    // The last product, far down the page.
    await page.getByRole("button", { name: "Add to cart" }).last().click()
    expect(await inView("Added to cart.")).toBe(true)
    await page.getByRole("button", { name: "Place order" }).click()
    expect(await inView(/Order #\d+ placed\./)).toBe(true)
    expect(errors).toEqual([])
    await context.close()
  })
})
