// The Next.js example (examples/nextjs: App Router, production build, only
// the adapter medusa-plugin-login-as-customer-storefront/next) against the
// demo backend: consent, the ticket page, the banner, the three ways a
// session ends, a read-only session, a second ticket in the same tab and a
// used ticket. The example is built outside the repository (medusa develop
// restarts on any change inside it), its dependencies installed when its lock
// file changed, the storefront package built from this checkout each run.
import { spawn, spawnSync, type ChildProcess } from "child_process"
import crypto from "crypto"
import fs from "fs"
import os from "os"
import path from "path"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { recordFigures } from "../integration-tests/helpers/figures"
import { ADMIN_URL, adminToken, api, customerId, launch, placeOrderThroughStore } from "./helpers"

jest.setTimeout(300_000)

const root = path.resolve(__dirname, "..")
/** Where the example is installed and built: kept between runs, so an unchanged lock file needs no install. */
const workDir = process.env.E2E_NEXT_DIR || path.join(os.tmpdir(), "lac-e2e-nextjs")
const example = path.join(workDir, "examples", "nextjs")
const NEXT_PORT = Number(process.env.E2E_NEXT_PORT || 8310)
const NEXT_URL = `http://localhost:${NEXT_PORT}`
const PASSWORD = "supersecret"
const STOREFRONT_ID = "nextjs-example"
const dataDir = process.env.E2E_DATA_DIR || path.join(root, ".e2e")
const log = path.join(dataDir, "nextjs.log")

let browser: Browser
let token: string
let publishableKey: string
let settingsBefore: { enabled: boolean; storefronts: unknown[] }
let server: ChildProcess | null = null
const timings: Record<string, number> = {}

/** Runs a command to its end, its output in the log; throws with the log's end when it fails. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const started = Date.now()
  fs.appendFileSync(log, `\n$ ${command} ${args.join(" ")}\n`)
  const out = fs.openSync(log, "a")
  const result = spawnSync(command, args, {
    cwd: example,
    stdio: ["ignore", out, out],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_OPTIONS: "", ...env },
  })
  fs.closeSync(out)
  if (result.status !== 0) {
    const tail = fs.readFileSync(log, "utf8").split("\n").slice(-40).join("\n")
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${tail}`)
  }
  return (Date.now() - started) / 1000
}

/**
 * The example's files and the storefront package (built from this checkout)
 * laid out as in the repository, so that `file:../../packages/storefront`
 * resolves; `npm ci` when the lock changed since the last install; then the
 * storefront package as just built in node_modules.
 */
function installExample() {
  const source = path.join(root, "examples", "nextjs")
  fs.mkdirSync(example, { recursive: true })
  for (const entry of fs.readdirSync(example)) {
    if (entry !== "node_modules") fs.rmSync(path.join(example, entry), { recursive: true, force: true })
  }
  for (const entry of fs.readdirSync(source)) {
    if (entry === "node_modules" || entry === ".next") continue
    fs.cpSync(path.join(source, entry), path.join(example, entry), { recursive: true })
  }
  const packageDir = path.join(workDir, "packages", "storefront")
  fs.rmSync(packageDir, { recursive: true, force: true })
  fs.mkdirSync(packageDir, { recursive: true })
  const started = Date.now()
  for (const file of ["package.json", "LICENSE", "README.md"]) {
    fs.copyFileSync(path.join(root, "packages", "storefront", file), path.join(packageDir, file))
  }
  const tsc = spawnSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "packages", "storefront", "tsconfig.json"), "--outDir", path.join(packageDir, "dist")],
    { cwd: root, encoding: "utf8" }
  )
  if (tsc.status !== 0) throw new Error(`the storefront package did not compile:\n${tsc.stdout}${tsc.stderr}`)
  timings.storefront_package_s = (Date.now() - started) / 1000

  const lock = fs.readFileSync(path.join(example, "package-lock.json"))
  const hash = crypto.createHash("sha256").update(lock).update(fs.readFileSync(path.join(example, "package.json"))).digest("hex")
  const marker = path.join(example, "node_modules", ".installed-lock")
  if (!fs.existsSync(marker) || fs.readFileSync(marker, "utf8") !== hash) {
    timings.npm_ci_s = run("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"])
    fs.writeFileSync(marker, hash)
  }
  // npm copied the package as it was at install time: put this run's in its place.
  const installed = path.join(example, "node_modules", "medusa-plugin-login-as-customer-storefront")
  fs.rmSync(installed, { recursive: true, force: true })
  fs.cpSync(packageDir, installed, { recursive: true })
}

async function startNext() {
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_OPTIONS: "",
    MEDUSA_BACKEND_URL: ADMIN_URL,
    NEXT_PUBLIC_MEDUSA_BACKEND_URL: ADMIN_URL,
    NEXT_PUBLIC_MEDUSA_PUBLISHABLE_KEY: publishableKey,
  }
  const taken = await fetch(NEXT_URL).then(() => true, () => false)
  if (taken) throw new Error(`Port ${NEXT_PORT} is in use: set E2E_NEXT_PORT to a free port.`)
  timings.next_build_s = run(process.execPath, ["node_modules/next/dist/bin/next", "build"], env)
  const out = fs.openSync(log, "a")
  server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(NEXT_PORT)], {
    cwd: example,
    env,
    detached: true,
    stdio: ["ignore", out, out],
  })
  fs.closeSync(out)
  const deadline = Date.now() + 60_000
  for (;;) {
    const up = await fetch(`${NEXT_URL}/cart`).then((res) => res.ok, () => false)
    if (up) break
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}; see ${log}`)
    if (Date.now() > deadline) throw new Error(`next start did not answer on ${NEXT_URL}; see ${log}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

async function customerToken(email: string): Promise<string> {
  return (await api("POST", "/auth/customer/emailpass", { body: { email, password: PASSWORD } })).token
}

/** A customer with an account and a password, who allows remote assistance. */
async function createCustomer(email: string, first_name: string, last_name: string) {
  const registration = await api("POST", "/auth/customer/emailpass/register", { body: { email, password: PASSWORD } })
  await api("POST", "/store/customers", { token: registration.token, key: publishableKey, body: { email, first_name, last_name } })
  await api("POST", "/store/customers/me/remote-assistance", {
    token: await customerToken(email),
    key: publishableKey,
    body: { allowed: true },
  })
  return customerId(token, email)
}

/** An order the customer placed themselves (so the account page has one to show). */
async function placeOrder(email: string): Promise<number> {
  return (await placeOrderThroughStore({ token: await customerToken(email), key: publishableKey })).display_id
}

/** The admin starts a session at the example storefront: its login URL (ticket in the fragment) and id. */
async function start(customer: string, body: Record<string, unknown> = {}) {
  const started = await api("POST", `/admin/customers/${customer}/login-as-customer`, {
    token,
    body: { storefront_id: STOREFRONT_ID, reason: "Next.js example", ...body },
  })
  return { url: started.redirect_url as string, sessionId: started.session_id as string }
}

async function session(customer: string, id: string) {
  const { sessions } = await api("GET", `/admin/login-as-customer/sessions?customer_id=${customer}`, { token })
  return sessions.find((s: { id: string }) => s.id === id)
}

/**
 * A page that records what the browser reports as errors, and every alert
 * the page ever showed (an error flashed for a moment counts).
 */
async function openPage(context: BrowserContext) {
  await context.addInitScript(() => {
    const seen: string[] = ((window as any).__alerts = [])
    new MutationObserver(() => {
      document.querySelectorAll('[role="alert"]').forEach((el) => {
        const text = el.textContent ?? ""
        if (text && !seen.includes(text)) seen.push(text)
      })
    }).observe(document, { childList: true, subtree: true, characterData: true })
  })
  const page = await context.newPage()
  page.setDefaultTimeout(60_000)
  const errors: string[] = []
  page.on("pageerror", (error) => errors.push(String(error)))
  // Failed requests by their address (Chromium's console line for them has none).
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`)
  })
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text())
  })
  return { page, errors, alerts: () => page.evaluate(() => (window as any).__alerts as string[]) }
}

const banner = (page: Page) => page.locator('[data-login-as-customer="banner"]')
const who = (page: Page) => page.getByTestId("who")

async function jwtCookie(context: BrowserContext) {
  return (await context.cookies(NEXT_URL)).find((c) => c.name === "_medusa_jwt")
}

beforeAll(async () => {
  fs.mkdirSync(dataDir, { recursive: true })
  token = await adminToken()
  publishableKey = fs.readFileSync(path.join(dataDir, "publishable-key.txt"), "utf8").trim()
  const { settings } = await api("GET", "/admin/login-as-customer/settings", { token })
  settingsBefore = { enabled: settings.enabled, storefronts: settings.storefronts }
  const reference = settings.storefronts[0]
  await api("POST", "/admin/login-as-customer/settings", {
    token,
    body: {
      enabled: true,
      storefronts: [
        ...settings.storefronts,
        { id: STOREFRONT_ID, name: "Next.js example", sales_channel_id: reference.sales_channel_id, login_url: `${NEXT_URL}/assist` },
      ],
    },
  })
  installExample()
  await startNext()
  recordFigures("e2e-nextjs", { timings_s: timings })
  browser = await launch()
}, 20 * 60_000)

afterAll(async () => {
  // The server first: nothing below may leave it running.
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve))
    try {
      process.kill(-server.pid, "SIGTERM")
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))])
      if (server.exitCode === null) process.kill(-server.pid, "SIGKILL")
    } catch {
      // already gone
    }
  }
  await browser?.close()
  if (token && settingsBefore) {
    await api("POST", "/admin/login-as-customer/settings", { token, body: settingsBefore })
  }
})

describe("The Next.js example storefront (the adapter in a production build)", () => {
  it("the customer switches consent off and on from the account page", async () => {
    const email = "zoe.consent@example.com"
    const customer = await createCustomer(email, "Zoe", "Consent")
    const context = await browser.newContext()
    const { page, errors } = await openPage(context)
    await page.goto(`${NEXT_URL}/account`)
    await page.fill('input[name="email"]', email)
    await page.fill('input[name="password"]', PASSWORD)
    await page.getByRole("button", { name: "Sign in" }).click()
    await page.getByRole("heading", { name: "Hello Zoe" }).waitFor()

    const checkbox = page.getByRole("checkbox", { name: "Allow remote shopping assistance" })
    expect(await checkbox.isChecked()).toBe(true)
    const allowed = async () =>
      (await api("GET", `/admin/customers/${customer}/login-as-customer`, { token })).remote_assistance.allowed
    await checkbox.click()
    await page.getByText("Saved: assistance not allowed.").waitFor()
    expect(await allowed()).toBe(false)
    await checkbox.click()
    await page.getByText("Saved: assistance allowed.").waitFor()
    expect(await allowed()).toBe(true)
    expect(errors).toEqual([])
    await context.close()
  })

  it("a ticket signs in without an error flash, the banner shows, the cookie ends with the session, the banner ends it", async () => {
    const customer = await createCustomer("liv.banner@example.com", "Liv", "Banner")
    const { url, sessionId } = await start(customer)
    const context = await browser.newContext()
    const { page, errors, alerts } = await openPage(context)
    await page.goto(url)
    await page.waitForURL(`${NEXT_URL}/account`)
    await banner(page).getByText("You are logged in as Liv Banner — assisted by Ada Admin").waitFor()
    expect(await who(page).textContent()).toBe("Signed in as Liv")
    expect(await alerts()).toEqual([])

    // The cookie lives as long as the session, not the starters' 7 days.
    const { expires_at } = await session(customer, sessionId)
    const cookie = await jwtCookie(context)
    expect(Math.abs(cookie!.expires - Date.parse(expires_at) / 1000)).toBeLessThan(5)
    expect(cookie!.httpOnly).toBe(true)

    // The consent can't be changed by the admin: the refusal is shown, the page stays.
    const checkbox = page.getByRole("checkbox", { name: "Allow remote shopping assistance" })
    await checkbox.click()
    await page.getByText("Only the customer can change this, not someone logged in on their behalf.").waitFor()
    expect(await checkbox.isChecked()).toBe(true)
    await page.getByRole("heading", { name: "Who helped me" }).waitFor()
    await page.getByText("in progress").waitFor()

    await banner(page).getByRole("button", { name: "End session" }).click()
    await page.waitForURL(`${NEXT_URL}/`)
    await page.getByText("The assistance session has ended.").waitFor()
    expect(await banner(page).count()).toBe(0)
    expect(await who(page).textContent()).toBe("Not signed in")
    expect(await jwtCookie(context)).toBeUndefined()
    expect(await session(customer, sessionId)).toMatchObject({ status: "ended", end_reason: "logout" })
    expect(errors).toEqual([])
    await context.close()
  })

  it("ended from the admin: the next navigation is signed out, with no name, order or banner left from the cache", async () => {
    const email = "nia.stale@example.com"
    const customer = await createCustomer(email, "Nia", "Stale")
    const displayId = await placeOrder(email)
    const { url, sessionId } = await start(customer)
    const context = await browser.newContext()
    const { page } = await openPage(context)
    await page.goto(url)
    await page.waitForURL(`${NEXT_URL}/account`)
    await page.getByText(`Order #${displayId}`).waitFor()
    // Once more through the client router, as a visitor clicks around (the starters cache these pages' data).
    await page.getByRole("link", { name: "Cart" }).click()
    await page.waitForURL(`${NEXT_URL}/cart`)
    await page.getByRole("link", { name: "Account" }).click()
    await page.getByText(`Order #${displayId}`).waitFor()
    await banner(page).waitFor()

    await api("POST", `/admin/login-as-customer/sessions/${sessionId}/end`, { token })

    await page.getByRole("link", { name: "Cart" }).click()
    await page.getByText("The assistance session has ended.").waitFor()
    expect(new URL(page.url()).pathname).toBe("/cart")
    expect(await banner(page).count()).toBe(0)
    expect(await who(page).textContent()).toBe("Not signed in")
    expect(await jwtCookie(context)).toBeUndefined()

    await page.getByRole("link", { name: "Account" }).click()
    await page.getByRole("heading", { name: "Sign in" }).waitFor()
    expect(await page.getByText("Hello Nia").count()).toBe(0)
    expect(await page.getByText(`Order #${displayId}`).count()).toBe(0)
    await page.reload()
    await page.getByRole("heading", { name: "Sign in" }).waitFor()
    expect(await page.getByText("Nia").count()).toBe(0)
    await context.close()
  })

  it("the storefront's own sign-out ends the assisted session", async () => {
    const customer = await createCustomer("ola.signout@example.com", "Ola", "Signout")
    const { url, sessionId } = await start(customer)
    const context = await browser.newContext()
    const { page, errors } = await openPage(context)
    await page.goto(url)
    await page.waitForURL(`${NEXT_URL}/account`)
    await banner(page).waitFor()
    await page.getByRole("button", { name: "Sign out" }).click()
    await page.getByRole("heading", { name: "Sign in" }).waitFor()
    expect(await banner(page).count()).toBe(0)
    expect(await session(customer, sessionId)).toMatchObject({ status: "ended", end_reason: "logout" })
    expect(await jwtCookie(context)).toBeUndefined()
    expect(errors).toEqual([])
    await context.close()
  })

  it("a read-only session refuses add-to-cart with a readable message", async () => {
    const customer = await createCustomer("rae.readonly@example.com", "Rae", "Readonly")
    const { url } = await start(customer, { mode: "read_only" })
    const context = await browser.newContext()
    const { page } = await openPage(context)
    await page.goto(url)
    await page.waitForURL(`${NEXT_URL}/account`)
    await banner(page).getByText("(read-only)").waitFor()
    await page.getByRole("link", { name: "Shop" }).click()
    await page.locator("main li a").first().click()
    await page.getByRole("button", { name: "Add to cart" }).click()
    // In the page (Next's route announcer is an alert too).
    const alert = page.locator("main").getByRole("alert")
    await alert.waitFor()
    expect(await alert.textContent()).toMatch(/read-only/)
    await banner(page).waitFor()
    await context.close()
  })

  it("a used ticket says so; a second ticket link opened in the same tab signs in", async () => {
    const first = await createCustomer("ivy.used@example.com", "Ivy", "Used")
    const second = await createCustomer("max.second@example.com", "Max", "Second")
    const used = await start(first)
    // Used elsewhere first (as when the link is opened twice).
    const ticket = new URLSearchParams(new URL(used.url).hash.slice(1)).get("ticket")
    await api("POST", "/store/login-as-customer/sessions", { key: publishableKey, body: { ticket } })

    const context = await browser.newContext()
    const { page, errors } = await openPage(context)
    await page.goto(used.url)
    await page.getByText("This login link was already used or has expired. Start again from the admin.").waitFor()
    expect(page.url()).toBe(`${NEXT_URL}/assist`) // the ticket left the address bar

    // The admin starts again; the new link opens in the same tab: only the fragment changes.
    const again = await start(second)
    await page.goto(again.url)
    await page.waitForURL(`${NEXT_URL}/account`)
    await banner(page).getByText("You are logged in as Max Second — assisted by Ada Admin").waitFor()
    expect(await session(second, again.sessionId)).toMatchObject({ status: "active" })
    expect(errors).toEqual([])
    await context.close()
  })
})
