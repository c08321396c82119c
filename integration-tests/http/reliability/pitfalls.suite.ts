import fs from "fs"
import path from "path"
import type { SuiteContext } from "../../helpers/suite"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { endConsentNow, impersonate, lacService, logRows, refusal, setupStore, Store, storeHeaders } from "../../helpers/fixtures"
import { prepareCart, setupCatalog } from "../../helpers/checkout"
import { parseCsv } from "../../helpers/csv"
import { allTables, changedTables, tableChecksums } from "../../helpers/db"
import { createAdmin, eventually, PASSWORD, registerCustomer } from "../../helpers/seed"

const SRC_API = path.resolve(__dirname, "../../../src/api")
const GUEST_CART_BACK_DOOR =
  "a session can't change a cart that isn't the customer's: a guest's cart (her email set on it, a line added, completed) or another customer's"

/** The plugin's routes serving `method`, as path templates (`/admin/customers/:id/login-as-customer`). */
function pluginRoutes(method: "GET" | "POST" | "DELETE"): string[] {
  const found: string[] = []
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name === "route.ts" && new RegExp(`^export (const|async function) ${method}\\b`, "m").test(fs.readFileSync(full, "utf8"))) {
        found.push("/" + path.relative(SRC_API, dir).split(path.sep).map((s) => s.replace(/^\[(.+)\]$/, ":$1")).join("/"))
      }
    }
  }
  walk(SRC_API)
  return found.sort()
}

export default function pitfallsSuite({ api, getContainer }: SuiteContext) {
  const send = (method: string, url: string, headers: Record<string, string>, data?: unknown) =>
    api.request({ method, url, headers, data, validateStatus: () => true })

  /** A cart with one line and an address of jane's own, made by jane before any session. */
  const janesThings = async (store: Store) => {
    const catalog = await setupCatalog(getContainer(), store.publishableKey)
    const { data } = await api.post("/store/carts", { region_id: catalog.region.id }, store.jane.headers)
    const cart = data.cart.id as string
    await api.post(`/store/carts/${cart}/line-items`, { variant_id: catalog.variantId, quantity: 1 }, store.jane.headers)
    const address = await api.post("/store/customers/me/addresses", { address_1: "1 Main St", city: "Berlin", country_code: "de" }, store.jane.headers)
    return { catalog, cart, address: address.data.customer.addresses[0].id as string }
  }

  describe("no GET changes state", () => {
    it("no GET of the plugin's (admin and store) nor the store's common reads in a session writes a row anywhere, the log included", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const mine = await janesThings(store)
      const imp = await impersonate(api as never, store)
      const readOnly = await impersonate(api as never, { ...store, admin: await createAdmin(api as never, container, "bob@example.com") }, store.jane, { mode: "read_only" })
      const admin = store.admin.headers.headers as Record<string, string>
      const ids: Record<string, string> = { id: store.jane.id }
      const reads: Array<[string, Record<string, string>]> = [
        // Medusa's store reads with the impersonation token, full and read-only.
        ...[imp.headers.headers, readOnly.headers.headers].flatMap((headers): Array<[string, Record<string, string>]> => [
          ["/store/customers/me", headers],
          ["/store/customers/me/addresses", headers],
          [`/store/customers/me/addresses/${mine.address}`, headers],
          [`/store/carts/${mine.cart}`, headers],
          ["/store/orders", headers],
          ["/store/products", headers],
          ["/store/regions", headers],
          ["/store/collections", headers],
          [`/store/shipping-options?cart_id=${mine.cart}`, headers],
        ]),
        // The plugin's store reads: impersonated, and by jane herself.
        ["/store/login-as-customer/session", imp.headers.headers],
        ["/store/login-as-customer/session", readOnly.headers.headers],
        ["/store/customers/me/remote-assistance", imp.headers.headers],
        ["/store/login-as-customer/session", store.jane.headers.headers],
        ["/store/customers/me/remote-assistance", store.jane.headers.headers],
        // The plugin's admin reads, with their filters.
        [`/admin/customers/${ids.id}/login-as-customer`, admin],
        [`/admin/customers/${store.john.id}/login-as-customer`, admin],
        ["/admin/login-as-customer/settings", admin],
        ["/admin/login-as-customer/sessions", admin],
        [`/admin/login-as-customer/sessions?active=true&customer_id=${store.jane.id}`, admin],
        ["/admin/login-as-customer/log", admin],
        ["/admin/login-as-customer/log?q=jane&action=session_started&order=created_at", admin],
        ["/admin/login-as-customer/log/export", admin],
        [`/admin/login-as-customer/log/export?session_id=${imp.session.id}`, admin],
        ["/admin/login-as-customer/log/stats", admin],
        ["/admin/login-as-customer/log/stats?days=366", admin],
        ["/admin/login-as-customer/log/health", admin],
        [`/admin/login-as-customer/log/erase?customer_id=${store.jane.id}`, admin],
        ["/admin/login-as-customer/grants", admin],
      ]
      // Every GET route the plugin serves is among them.
      const templates = pluginRoutes("GET")
      expect(templates.length).toBeGreaterThanOrEqual(9)
      for (const template of templates) {
        const concrete = new RegExp(`^${template.replace(/:[a-z_]+/g, "[^/]+")}(\\?|$)`)
        expect({ template, covered: reads.some(([url]) => concrete.test(url)) }).toEqual({ template, covered: true })
      }

      // The whole database, the log included: a read in a session is not a store action.
      const tables = await allTables(container)
      for (const [url, headers] of reads) {
        const before = await tableChecksums(container, tables)
        const response = await send("GET", url, headers)
        expect({ url, status: response.status }).toEqual({ url, status: 200 })
        expect({ url, changed: changedTables(before, await tableChecksums(container, tables)) }).toEqual({ url, changed: {} })
      }

      // The checksums do see a change: a write in the session changes the customer and the log.
      const before = await tableChecksums(container, tables)
      expect((await send("POST", "/store/customers/me", imp.headers.headers, { first_name: "Janet" })).status).toBe(200)
      expect(Object.keys(changedTables(before, await tableChecksums(container, tables)))).toEqual(
        expect.arrayContaining(["customer", "login_as_customer_log_entry"])
      )
    })

    it("a GET that finds its session over (consent withdrawn) writes only the end, once; the next GETs write nothing", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const imp = await impersonate(api as never, store)
      // Consent running out ends nothing by itself: the next request notices, and that is the plugin's one deliberate write on a GET.
      const service = lacService(container)
      await endConsentNow(container, store.jane.id)
      const tables = await allTables(container)
      const before = await tableChecksums(container, tables)
      const first = await refusal(api.get("/store/customers/me", imp.headers))
      expect({ status: first.status, code: first.data.code }).toEqual({ status: 401, code: "impersonation_ended" })
      expect(Object.keys(changedTables(before, await tableChecksums(container, tables))).sort()).toEqual(
        ["login_as_customer_log_entry", "login_as_customer_session"]
      )
      expect((await service.retrieveLoginAsCustomerSession(imp.session.id)).end_reason).toBe("consent_withdrawn")

      const ended = await tableChecksums(container, tables)
      for (const url of ["/store/customers/me", "/store/login-as-customer/session", "/store/orders"]) {
        expect((await refusal(api.get(url, imp.headers))).status).toBe(401)
      }
      expect(changedTables(ended, await tableChecksums(container, tables))).toEqual({})
      expect(await logRows(container, "session_ended", { session_id: imp.session.id })).toHaveLength(1)
    })
  })

  it("a guest cart of the browser's previous visitor never merges into the customer, and no cart leaks either way", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const mine = await janesThings(store)
    const carts = container.resolve(Modules.CART)
    const pk = { "x-publishable-api-key": store.publishableKey }

    // The previous visitor of this browser left a guest cart with a line in it.
    const guest = await send("POST", "/store/carts", pk, { region_id: mine.catalog.region.id })
    const guestCart = guest.data.cart.id as string
    await send("POST", `/store/carts/${guestCart}/line-items`, pk, { variant_id: mine.catalog.variantId, quantity: 3 })
    const janesCarts = async () => (await carts.listCarts({ customer_id: store.jane.id })).map((c: { id: string }) => c.id).sort()
    const janesBefore = await janesCarts()
    const guestBefore = await tableChecksums(container, ["cart", "cart_line_item"])

    // The admin exchanges a ticket in that browser; taking the guest cart over is refused.
    const imp = await impersonate(api as never, store)
    const transfer = await refusal(api.post(`/store/carts/${guestCart}/customer`, {}, imp.headers))
    expect({ status: transfer.status, code: transfer.data.code }).toEqual({ status: 403, code: "restricted_while_impersonating" })
    expect(changedTables(guestBefore, await tableChecksums(container, ["cart", "cart_line_item"]))).toEqual({})
    expect((await carts.retrieveCart(guestCart)).customer_id).toBeNull()
    expect(await janesCarts()).toEqual(janesBefore)
    const refusedRow = (await logRows(container, "store_action", { session_id: imp.session.id })).find((row) => row.details.path === `/store/carts/${guestCart}/customer`)
    expect(refusedRow.details).toMatchObject({ outcome: "refused", code: "restricted_while_impersonating" })
    // A cart made in the session is jane's.
    const made = await api.post("/store/carts", { region_id: mine.catalog.region.id }, imp.headers)
    expect(made.data.cart.customer_id).toBe(store.jane.id)
    await api.post(`/store/carts/${made.data.cart.id}/line-items`, { variant_id: mine.catalog.variantId, quantity: 1 }, imp.headers)
    await api.delete("/store/login-as-customer/session", imp.headers)

    // After the end, the session's token reaches none of jane's carts.
    for (const cart of [made.data.cart.id, mine.cart]) {
      expect((await refusal(api.get(`/store/carts/${cart}`, imp.headers))).status).toBe(401)
      expect((await refusal(api.post(`/store/carts/${cart}/line-items`, { variant_id: mine.catalog.variantId, quantity: 1 }, imp.headers))).status).toBe(401)
    }
    // The guest's cart is still the guest's alone, unchanged, and never marked by the session.
    const guestAfter = (await send("GET", `/store/carts/${guestCart}`, pk)).data.cart
    expect({ customer_id: guestAfter.customer_id, lines: guestAfter.items.map((i: { quantity: number }) => i.quantity), marked: guestAfter.metadata?.login_as_customer ?? null }).toEqual({
      customer_id: null,
      lines: [3],
      marked: null,
    })
    // Jane, on her own device, has exactly her carts: hers from before and the one made for her.
    expect(await janesCarts()).toEqual([...janesBefore, made.data.cart.id].sort())
    const own = await api.get(`/store/carts/${made.data.cart.id}`, store.jane.headers)
    expect(own.data.cart.items).toHaveLength(1)
  })

  it(GUEST_CART_BACK_DOOR, async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const mine = await janesThings(store)
    const carts = container.resolve(Modules.CART)
    const pk = { "x-publishable-api-key": store.publishableKey }
    const guest = await send("POST", "/store/carts", pk, { region_id: mine.catalog.region.id })
    const guestCart = guest.data.cart.id as string
    await send("POST", `/store/carts/${guestCart}/line-items`, pk, { variant_id: mine.catalog.variantId, quantity: 3 })
    const john = await send("POST", "/store/carts", store.john.headers.headers, { region_id: mine.catalog.region.id })
    const before = await tableChecksums(container, ["cart", "cart_line_item", "cart_address", "payment_collection", "login_as_customer_session_cart"])

    const imp = await impersonate(api as never, store)
    const attempts: Array<[string, string, unknown]> = [
      // Medusa gives a guest cart to the registered customer whose email is set on it.
      ["POST", `/store/carts/${guestCart}`, { email: store.jane.email }],
      ["POST", `/store/carts/${guestCart}/line-items`, { variant_id: mine.catalog.variantId, quantity: 1 }],
      ["POST", `/store/carts/${guestCart}/complete`, {}],
      ["POST", `/store/carts/${john.data.cart.id}`, { email: store.jane.email }],
      ["POST", `/store/carts/${john.data.cart.id}/line-items`, { variant_id: mine.catalog.variantId, quantity: 1 }],
    ]
    for (const [method, url, body] of attempts) {
      const response = await send(method, url, imp.headers.headers, body)
      expect({ url, status: response.status, code: response.data?.code }).toEqual({ url, status: 403, code: "restricted_while_impersonating" })
    }
    // Nothing moved, nothing was marked as the session's, and every refusal is on record.
    expect(changedTables(before, await tableChecksums(container, ["cart", "cart_line_item", "cart_address", "payment_collection", "login_as_customer_session_cart"]))).toEqual({})
    expect((await carts.retrieveCart(guestCart)).customer_id).toBeNull()
    const refused = await logRows(container, "store_action", { session_id: imp.session.id })
    expect(refused.map((row) => [row.details.outcome, row.details.code])).toEqual(attempts.map(() => ["refused", "restricted_while_impersonating"]))
    // jane's own cart is still open to the session.
    const line = await send("POST", `/store/carts/${mine.cart}/line-items`, imp.headers.headers, { variant_id: mine.catalog.variantId, quantity: 1 })
    expect(line.status).toBe(200)
  })

  it("ending an impersonation leaves the customer's own token and cookie session working, changes included", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const login = await api.post("/auth/customer/emailpass", { email: "jane@example.com", password: PASSWORD })
    const cookieLogin = await api.post("/auth/session", {}, { headers: { authorization: `Bearer ${login.data.token}` } })
    const cookie = String(cookieLogin.headers["set-cookie"]?.[0] ?? "").split(";")[0]
    expect(cookie).toMatch(/=/)
    const janeCookie = { headers: { cookie, "x-publishable-api-key": store.publishableKey } }
    expect((await api.get("/store/customers/me", janeCookie)).data.customer.id).toBe(store.jane.id)

    for (const end of ["storefront", "admin", "consent", "superseded"] as const) {
      const imp = await impersonate(api as never, store)
      if (end === "storefront") await api.delete("/store/login-as-customer/session", imp.headers)
      if (end === "admin") await api.post(`/admin/login-as-customer/sessions/${imp.session.id}/end`, {}, store.admin.headers)
      if (end === "consent") await api.post("/store/customers/me/remote-assistance", { allowed: false }, store.jane.headers)
      if (end === "superseded") await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      expect((await refusal(api.get("/store/customers/me", imp.headers))).status).toBe(401)
      // Jane's three ways in still read and write.
      for (const [i, headers] of [store.jane.headers, storeHeaders(store, login.data.token), janeCookie].entries()) {
        const changed = await api.post("/store/customers/me", { first_name: `Jane ${end} ${i}` }, headers)
        expect(changed.data.customer).toMatchObject({ id: store.jane.id, first_name: `Jane ${end} ${i}` })
      }
      if (end === "consent") await api.post("/store/customers/me/remote-assistance", { allowed: true }, store.jane.headers)
    }
    // None of jane's own requests was taken for the admin's.
    const actions = await logRows(container, "store_action")
    expect(actions.filter((row) => String(row.details.path).startsWith("/store/customers/me") && row.details.method === "POST")).toEqual([])
  })

  it("keeps 300-character emails and names whole: log rows, CSV export, log search, session answers, history, grants and the order note", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const long = (c: string) => c.repeat(300 - "@example.com".length) + "@example.com"
    const customerEmail = long("c")
    const adminEmail = long("a")
    // Multi-byte characters: 300 characters, 600 bytes and more.
    const firstName = "Ñ".repeat(300)
    const lastName = "日".repeat(299) + "z"
    expect([customerEmail.length, adminEmail.length, firstName.length, lastName.length]).toEqual([300, 300, 300, 300])
    const customer = await registerCustomer(api as never, store.publishableKey, customerEmail, { first_name: firstName, last_name: lastName })
    await api.post("/store/customers/me/remote-assistance", { allowed: true }, customer.headers)
    const admin = await createAdmin(api as never, container, adminEmail, { first_name: firstName, last_name: lastName })

    const imp = await impersonate(api as never, { ...store, admin }, customer)
    for (const action of ["ticket_issued", "session_started"]) {
      const [row] = await logRows(container, action, { session_id: imp.session.id })
      expect({ action, user_email: row.user_email, customer_email: row.customer_email }).toEqual({ action, user_email: adminEmail, customer_email: customerEmail })
    }
    // The storefront's session answer names both, whole.
    const me = await api.get("/store/login-as-customer/session", imp.headers)
    expect(me.data.session.customer).toMatchObject({ email: customerEmail, first_name: firstName, last_name: lastName })
    expect(me.data.session.admin).toEqual({ first_name: firstName, last_name: lastName })

    // An order placed in the session carries the admin's name whole in its note.
    const catalog = await setupCatalog(container, store.publishableKey)
    const cart = await prepareCart(api, imp.headers, catalog)
    const placed = await api.post(`/store/carts/${cart}/complete`, {}, imp.headers)
    const orderId = placed.data.order.id as string
    const attributed = await eventually(async () => {
      const [order] = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields: ["metadata"], filters: { id: orderId } }).then((r: { data: any[] }) => r.data)
      return order.metadata?.login_as_customer?.note ? order.metadata.login_as_customer : null
    })
    expect(attributed.admin_name).toBe(`${firstName} ${lastName}`)
    expect(attributed.note).toContain(`${firstName} ${lastName}`)
    expect(await eventually(async () => (await logRows(container, "order_placed", { session_id: imp.session.id })).length || null)).toBe(1)
    await api.delete("/store/login-as-customer/session", imp.headers)

    // The customer's history shows the admin's first name whole.
    const history = await api.get("/store/customers/me/remote-assistance", customer.headers)
    expect(history.data.sessions[0].admin.first_name).toBe(firstName)
    // The grants list, the log search and the CSV keep every character.
    const grants = await api.get("/admin/login-as-customer/grants", store.admin.headers)
    expect(grants.data.grants.find((g: { user_id: string }) => g.user_id === admin.id)).toMatchObject({ email: adminEmail, first_name: firstName, last_name: lastName })
    const searched = await api.get(`/admin/login-as-customer/log?q=${encodeURIComponent(customerEmail)}`, store.admin.headers)
    expect(searched.data.count).toBeGreaterThan(0)
    expect(searched.data.log_entries.every((entry: { customer_email: string }) => entry.customer_email === customerEmail)).toBe(true)

    const csv = await api.get(`/admin/login-as-customer/log/export?session_id=${imp.session.id}`, store.admin.headers)
    const [header, ...rows] = parseCsv(csv.data)
    const column = (name: string) => rows.map((row) => row[header.indexOf(name)])
    expect(rows.length).toBeGreaterThanOrEqual(4)
    expect(new Set(column("user_email"))).toEqual(new Set([adminEmail]))
    expect(new Set(column("customer_email"))).toEqual(new Set([customerEmail]))
    // The order_placed line keeps the admin's name whole inside its details.
    const orderLine = rows.find((row) => row[header.indexOf("action")] === "order_placed")
    expect(orderLine?.[header.indexOf("details")]).toContain(`${firstName} ${lastName}`)
  })

  describe("cross-site requests to the admin routes (CSRF on cookie sessions)", () => {
    const cookieSession = async (token: string) => {
      const response = await api.post("/auth/session", {}, { headers: { authorization: `Bearer ${token}` } })
      const setCookie = String(response.headers["set-cookie"]?.[0] ?? "")
      return { cookie: setCookie.split(";")[0], setCookie }
    }

    it("refuses every state change of the plugin's admin routes riding on the admin's cookie from another site, changing nothing", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const live = await impersonate(api as never, store)
      const { cookie, setCookie } = await cookieSession(store.admin.token)
      // Outside production, Medusa's session cookie has no SameSite attribute: the browser would send it cross-site.
      expect(setCookie).not.toMatch(/samesite=(lax|strict)/i)

      const ids: Record<string, string> = { id: store.jane.id, user_id: store.admin.id }
      const bodies: Record<string, unknown> = {
        "/admin/login-as-customer/settings": { enabled: false },
        "/admin/customers/:id/login-as-customer": {},
        "/admin/customers/:id/login-as-customer/remote-assistance": { allowed: false },
        "/admin/login-as-customer/grants/:user_id": { can_login: false },
        "/admin/login-as-customer/sessions/:id/end": {},
        "/admin/login-as-customer/log/verify": {},
        "/admin/login-as-customer/log/erase": { customer_id: store.jane.id },
      }
      const fillIds = (template: string) =>
        template.endsWith("/end") ? template.replace(":id", live.session.id) : template.replace(/:([a-z_]+)/g, (_, name) => ids[name])
      // Every state-changing route of the plugin's admin API is tried.
      const routes = [...pluginRoutes("POST"), ...pluginRoutes("DELETE")].filter((r) => r.startsWith("/admin/"))
      expect(routes.sort()).toEqual(Object.keys(bodies).sort())

      const tables = await allTables(container)
      const before = await tableChecksums(container, tables)
      const attempts: Array<Record<string, string>> = [
        { cookie, origin: "https://evil.example.com" },
        { cookie, origin: "https://evil.example.com", "sec-fetch-site": "same-site" },
        { cookie, "sec-fetch-site": "cross-site" },
        { cookie, origin: "null" },
        { cookie, origin: "http://localhost:9000.evil.example.com" },
      ]
      let refused = 0
      for (const headers of attempts) {
        for (const template of routes) {
          const response = await send("POST", fillIds(template), headers, bodies[template])
          expect({ template, headers, status: response.status, code: response.data?.code }).toEqual({ template, headers, status: 403, code: "cross_site_request" })
          refused++
        }
      }
      expect(refused).toBe(attempts.length * routes.length)
      // Not a row changed anywhere: no settings, session, consent, grant or log line.
      expect(changedTables(before, await tableChecksums(container, tables))).toEqual({})
      expect((await api.get("/store/customers/me", live.headers)).status).toBe(200)
    })

    it("lets the same requests through from the admin's own origin, same-origin, without an Origin, and with a bearer token from anywhere", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const { cookie } = await cookieSession(store.admin.token)
      const adminOrigin = (process.env.ADMIN_CORS || "http://localhost:9000").split(",")[0]
      const server = new URL(store.baseUrl).origin
      const allowed: Array<Record<string, string>> = [
        { cookie, origin: adminOrigin, "sec-fetch-site": "same-site" },
        { cookie, origin: server, "sec-fetch-site": "same-origin" },
        { cookie, "sec-fetch-site": "same-origin" },
        // A non-browser client sends neither header.
        { cookie },
        { authorization: `Bearer ${store.admin.token}`, origin: "https://evil.example.com", "sec-fetch-site": "cross-site" },
      ]
      for (const [i, headers] of allowed.entries()) {
        const reason = `ticket ${i}`
        const settings = await send("POST", "/admin/login-as-customer/settings", headers, { require_reason: i % 2 === 0 })
        expect({ headers, status: settings.status }).toEqual({ headers, status: 200 })
        const started = await send("POST", `/admin/customers/${store.jane.id}/login-as-customer`, headers, { reason })
        expect({ headers, status: started.status }).toEqual({ headers, status: 201 })
        const ended = await send("POST", `/admin/login-as-customer/sessions/${started.data.session_id}/end`, headers, {})
        expect({ headers, status: ended.status }).toEqual({ headers, status: 200 })
      }
      expect(await logRows(container, "ticket_issued", { user_id: store.admin.id })).toHaveLength(allowed.length)
      // Reads are never refused: they change nothing.
      expect((await send("GET", "/admin/login-as-customer/settings", { cookie, origin: "https://evil.example.com", "sec-fetch-site": "cross-site" })).status).toBe(200)
    })
  })
}
