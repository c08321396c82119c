import fc from "fast-check"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { impersonate, lacService, logRows, refusal, setupStore, Store, storeHeaders } from "../../helpers/fixtures"
import { setupCatalog } from "../../helpers/checkout"
import { hostileBody, stateDigest } from "../../helpers/fuzz"
import { createAdmin, PASSWORD, registerCustomer } from "../../helpers/seed"

jest.setTimeout(300_000)

/** Medusa's state-changing store routes (POST/DELETE), read off @medusajs/medusa 2.21's store API. */
const MUTATING_STORE_ROUTES = [
  ["POST", "/store/carts"],
  ["POST", "/store/carts/:cart"],
  ["POST", "/store/carts/:cart/complete"],
  ["POST", "/store/carts/:cart/customer"],
  ["POST", "/store/carts/:cart/line-items"],
  ["POST", "/store/carts/:cart/line-items/:line"],
  ["DELETE", "/store/carts/:cart/line-items/:line"],
  ["POST", "/store/carts/:cart/promotions"],
  ["DELETE", "/store/carts/:cart/promotions"],
  ["POST", "/store/carts/:cart/shipping-methods"],
  ["POST", "/store/carts/:cart/taxes"],
  ["POST", "/store/customers"],
  ["POST", "/store/customers/me"],
  ["POST", "/store/customers/me/addresses"],
  ["POST", "/store/customers/me/addresses/:address"],
  ["DELETE", "/store/customers/me/addresses/:address"],
  ["POST", "/store/orders/order_01JZZZZZZZZZZZZZZZZZZZZZZZ/transfer/request"],
  ["POST", "/store/orders/order_01JZZZZZZZZZZZZZZZZZZZZZZZ/transfer/accept"],
  ["POST", "/store/payment-collections"],
  ["POST", "/store/payment-collections/pay_col_01JZZZZZZZZZZZZZZZZZZZZZZZ/payment-sessions"],
  ["POST", "/store/returns"],
  ["POST", "/store/customers/me/remote-assistance"],
  ["POST", "/auth/session"],
  ["POST", "/auth/token/refresh"],
  ["POST", "/auth/customer/emailpass/update"],
] as const

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const send = (method: string, url: string, headers: Record<string, string>, data?: unknown) =>
      api.request({
        method,
        url,
        headers: { ...headers, "content-type": "application/json" },
        data: data === undefined ? undefined : typeof data === "string" ? data : JSON.stringify(data),
        transformRequest: [(body: unknown) => body],
        validateStatus: () => true,
      })

    /** A cart, a line and an address of jane's own, made by jane before any session. */
    const janesThings = async (store: Store) => {
      const catalog = await setupCatalog(getContainer(), store.publishableKey)
      const { data } = await api.post("/store/carts", { region_id: catalog.region.id }, store.jane.headers)
      const cart = data.cart.id as string
      const line = await api.post(`/store/carts/${cart}/line-items`, { variant_id: catalog.variantId, quantity: 1 }, store.jane.headers)
      const address = await api.post("/store/customers/me/addresses", { address_1: "1 Main St", city: "Berlin", country_code: "de" }, store.jane.headers)
      return {
        catalog,
        cart,
        line: line.data.cart.items[0].id as string,
        address: address.data.customer.addresses[0].id as string,
      }
    }

    it("a read-only session changes nothing through any of Medusa's mutating store routes, whatever the body (fuzzed)", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const mine = await janesThings(store)
      const imp = await impersonate(api as never, store, store.jane, { mode: "read_only" })
      const headers = imp.headers.headers
      let cases = 0
      let parsed = 0
      const problems: string[] = []
      for (const [method, template] of MUTATING_STORE_ROUTES) {
        const url = template.replace(":cart", mine.cart).replace(":line", mine.line).replace(":address", mine.address)
        await fc.assert(
          fc.asyncProperty(
            hostileBody({
              first_name: fc.string(),
              email: fc.constant("evil@example.com"),
              region_id: fc.constant(mine.catalog.region.id),
              variant_id: fc.constant(mine.catalog.variantId),
              quantity: fc.integer({ min: -1, max: 5 }),
              promo_codes: fc.array(fc.string()),
              address_1: fc.string(),
              cart_id: fc.constant(mine.cart),
            }),
            async (body) => {
              cases++
              const before = await stateDigest(container)
              const response = await send(method, url, headers, method === "POST" ? body : undefined)
              // Medusa's strict JSON parser turns away scalar or oversized bodies before any route or guard.
              const parserRefused =
                (response.status === 400 || response.status === 413) && /JSON|too large/.test(response.data?.message ?? "")
              const guardRefused = response.status === 403 && response.data?.code === "read_only_session"
              if (parserRefused) parsed++
              if (!guardRefused && !parserRefused) {
                problems.push(`${method} ${url}: ${response.status} ${JSON.stringify(response.data).slice(0, 160)}`)
              }
              if ((await stateDigest(container)) !== before) {
                problems.push(`${method} ${url} changed the database`)
              }
            }
          ),
          { numRuns: 20 }
        )
      }
      expect(problems).toEqual([])
      expect(cases).toBe(MUTATING_STORE_ROUTES.length * 20)
      // Reads still work, and every refusal is on record.
      expect((await send("GET", `/store/carts/${mine.cart}`, headers)).status).toBe(200)
      const refused = await logRows(container, "store_action", { session_id: imp.session.id })
      expect(refused.length).toBe(cases - parsed)
      expect(refused.every((row) => row.details.outcome === "refused" && row.details.code === "read_only_session")).toBe(true)
    })

    it("no GET changes anything, in a session or out of it (the plugin's and the store's common reads)", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const mine = await janesThings(store)
      const imp = await impersonate(api as never, store)
      const admin = store.admin.headers.headers as Record<string, string>
      const reads: Array<[string, Record<string, string>]> = [
        ["/store/customers/me", imp.headers.headers],
        ["/store/customers/me/addresses", imp.headers.headers],
        [`/store/carts/${mine.cart}`, imp.headers.headers],
        ["/store/orders", imp.headers.headers],
        ["/store/products", imp.headers.headers],
        ["/store/regions", imp.headers.headers],
        ["/store/login-as-customer/session", imp.headers.headers],
        ["/store/customers/me/remote-assistance", imp.headers.headers],
        ["/store/customers/me/remote-assistance", store.jane.headers.headers],
        ["/store/login-as-customer/session", store.jane.headers.headers],
        [`/admin/customers/${store.jane.id}/login-as-customer`, admin],
        ["/admin/login-as-customer/settings", admin],
        ["/admin/login-as-customer/sessions", admin],
        ["/admin/login-as-customer/log", admin],
        ["/admin/login-as-customer/log/export", admin],
        ["/admin/login-as-customer/log/stats", admin],
        ["/admin/login-as-customer/grants", admin],
      ]
      const logBefore = (await lacService(container).listLoginAsCustomerLogEntries({}, { select: ["id"] })).length
      for (const [url, headers] of reads) {
        const before = await stateDigest(container)
        const response = await send("GET", url, headers)
        expect({ url, status: response.status }).toEqual({ url, status: 200 })
        expect({ url, changed: (await stateDigest(container)) !== before }).toEqual({ url, changed: false })
      }
      // Reads in a session are not store actions: the log did not grow either.
      expect((await lacService(container).listLoginAsCustomerLogEntries({}, { select: ["id"] })).length).toBe(logBefore)
    })

    it("a guest cart from the browser's previous visitor never merges into the customer; the customer's carts stay hers", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const mine = await janesThings(store)
      const pk = { "x-publishable-api-key": store.publishableKey }
      const guest = await send("POST", "/store/carts", pk, { region_id: mine.catalog.region.id })
      expect(guest.status).toBe(200)
      const guestCart = guest.data.cart.id

      const imp = await impersonate(api as never, store)
      const transfer = await refusal(api.post(`/store/carts/${guestCart}/customer`, {}, imp.headers))
      expect({ status: transfer.status, code: transfer.data.code }).toEqual({ status: 403, code: "restricted_while_impersonating" })
      const carts = container.resolve(Modules.CART)
      expect((await carts.retrieveCart(guestCart)).customer_id).toBeNull()
      expect((await carts.retrieveCart(mine.cart)).customer_id).toBe(store.jane.id)

      // A cart made in the session is jane's; once the session ends its token reaches nothing.
      const made = await api.post("/store/carts", { region_id: mine.catalog.region.id }, imp.headers)
      expect(made.data.cart.customer_id).toBe(store.jane.id)
      await api.delete("/store/login-as-customer/session", imp.headers)
      expect((await refusal(api.get(`/store/carts/${made.data.cart.id}`, imp.headers))).status).toBe(401)
      expect((await refusal(api.post(`/store/carts/${made.data.cart.id}/line-items`, { variant_id: mine.catalog.variantId, quantity: 1 }, imp.headers))).status).toBe(401)
      // Jane's own token still sees her cart.
      expect((await api.get(`/store/carts/${mine.cart}`, store.jane.headers)).data.cart.customer_id).toBe(store.jane.id)
    })

    it("ending an impersonation leaves the customer's own token and cookie session working", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const login = await api.post("/auth/customer/emailpass", { email: "jane@example.com", password: PASSWORD })
      const cookieLogin = await api.post("/auth/session", {}, { headers: { authorization: `Bearer ${login.data.token}` } })
      const cookie = String(cookieLogin.headers["set-cookie"]?.[0] ?? "").split(";")[0]
      expect(cookie).toMatch(/=/)
      const janeCookie = { headers: { cookie, "x-publishable-api-key": store.publishableKey } }
      expect((await api.get("/store/customers/me", janeCookie)).data.customer.id).toBe(store.jane.id)

      for (const end of ["storefront", "admin", "consent"] as const) {
        const imp = await impersonate(api as never, store)
        if (end === "storefront") await api.delete("/store/login-as-customer/session", imp.headers)
        if (end === "admin") await api.post(`/admin/login-as-customer/sessions/${imp.session.id}/end`, {}, store.admin.headers)
        if (end === "consent") await api.post("/store/customers/me/remote-assistance", { allowed: false }, store.jane.headers)
        expect((await refusal(api.get("/store/customers/me", imp.headers))).status).toBe(401)
        expect((await api.get("/store/customers/me", store.jane.headers)).data.customer.id).toBe(store.jane.id)
        expect((await api.get("/store/customers/me", storeHeaders(store, login.data.token))).status).toBe(200)
        expect((await api.get("/store/customers/me", janeCookie)).data.customer.id).toBe(store.jane.id)
        if (end === "consent") await api.post("/store/customers/me/remote-assistance", { allowed: true }, store.jane.headers)
      }
    })

    it("keeps 300-character emails and names whole in the log and the CSV export", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const long = (c: string) => c.repeat(300 - "@example.com".length) + "@example.com"
      const customerEmail = long("c")
      const adminEmail = long("a")
      const name = "N".repeat(300)
      const customer = await registerCustomer(api as never, store.publishableKey, customerEmail, { first_name: name, last_name: name })
      await api.post("/store/customers/me/remote-assistance", { allowed: true }, customer.headers)
      const admin = await createAdmin(api as never, container, adminEmail, { first_name: name, last_name: name })
      expect(customerEmail).toHaveLength(300)

      const imp = await impersonate(api as never, { ...store, admin }, customer)
      const started = await logRows(container, "session_started", { session_id: imp.session.id })
      expect(started[0].user_email).toBe(adminEmail)
      expect(started[0].customer_email).toBe(customerEmail)
      const me = await api.get("/store/login-as-customer/session", imp.headers)
      expect(JSON.stringify(me.data)).toContain(name)

      const csv = await api.get(`/admin/login-as-customer/log/export?session_id=${imp.session.id}`, store.admin.headers)
      expect(csv.data).toContain(adminEmail)
      expect(csv.data).toContain(customerEmail)
    })

    describe("cross-site requests to the admin routes (CSRF on cookie sessions)", () => {
      const cookieSession = async (token: string) => {
        const response = await api.post("/auth/session", {}, { headers: { authorization: `Bearer ${token}` } })
        return String(response.headers["set-cookie"]?.[0] ?? "").split(";")[0]
      }

      it("refuses a state change riding on the admin's cookie from another site; the admin's own origin and bearer tokens work", async () => {
        const container = getContainer()
        const store = await setupStore(api as never, container)
        const cookie = await cookieSession(store.admin.token)
        const before = await lacService(container).getSettings()
        const attempts: Array<Record<string, string>> = [
          { cookie, origin: "https://evil.example.com" },
          { cookie, "sec-fetch-site": "cross-site" },
          { cookie, origin: "null" },
        ]
        for (const headers of attempts) {
          for (const [url, body] of [
            ["/admin/login-as-customer/settings", { enabled: false }],
            [`/admin/customers/${store.jane.id}/login-as-customer`, {}],
            [`/admin/customers/${store.jane.id}/login-as-customer/remote-assistance`, { allowed: false }],
            [`/admin/login-as-customer/grants/${store.admin.id}`, { can_login: false }],
          ] as const) {
            const response = await send("POST", url, headers, body)
            expect({ url, status: response.status, code: response.data?.code }).toEqual({ url, status: 403, code: "cross_site_request" })
          }
        }
        expect((await lacService(container).getSettings()).enabled).toBe(before.enabled)
        expect(await lacService(container).listLoginAsCustomerSessions({})).toEqual([])

        const adminOrigin = process.env.ADMIN_CORS?.split(",")[0] || "http://localhost:9000"
        const own = await send("POST", "/admin/login-as-customer/settings", { cookie, origin: adminOrigin, "sec-fetch-site": "same-site" }, { require_reason: true })
        expect(own.status).toBe(200)
        const bearer = await send("POST", "/admin/login-as-customer/settings", { authorization: `Bearer ${store.admin.token}`, origin: "https://evil.example.com" }, { require_reason: false })
        expect(bearer.status).toBe(200)
        // Reads are never refused: they change nothing.
        expect((await send("GET", "/admin/login-as-customer/settings", { cookie, origin: "https://evil.example.com" })).status).toBe(200)
      })
    })
  },
})
