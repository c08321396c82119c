// The keyboard paths through the plugin's admin: the start dialog, a log
// entry and a settings drawer, by keyboard alone (axe's checks of the same
// states are in a11y.spec.ts).
import { ADMIN_URL, api } from "./helpers"
import { accountCustomer, consoleErrors, escapeUntilDetached, focused, fromPlugin, openAdmin, settled, stack, tabTo, useA11yStack } from "./a11y-helpers"

jest.setTimeout(600_000)

useA11yStack()

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
    const { active_sessions } = await api("GET", `/admin/customers/${customer.id}/login-as-customer`, { token: stack.token })
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
    await escapeUntilDetached(page, drawer)
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
    await escapeUntilDetached(page, drawer)
    expect((await focused(page)).testid).toBe("lac-edit-general")
    await context.close()
  })

  it("logged no console error from the plugin", () => {
    expect(consoleErrors.filter(fromPlugin)).toEqual([])
  })
})
