import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  Actor,
  createAdmin,
  createPublishableKey,
  eachRefusedWithoutWrites,
  refused,
  registerCustomer,
} from "../helpers/seed"

jest.setTimeout(120_000)

type Method = "get" | "post" | "delete"
type Route = [Method, string, unknown?]

/** Every admin route of the plugin; `:customer` is replaced with a real customer id. */
const ADMIN_ROUTES: Route[] = [
  ["get", "/admin/customers/:customer/login-as-customer"],
  ["post", "/admin/customers/:customer/login-as-customer", {}],
  ["post", "/admin/customers/:customer/login-as-customer/remote-assistance", { allowed: true }],
  ["get", "/admin/login-as-customer/settings"],
  ["post", "/admin/login-as-customer/settings", { enabled: true }],
  ["get", "/admin/login-as-customer/log"],
  ["get", "/admin/login-as-customer/log/export"],
  ["get", "/admin/login-as-customer/log/stats"],
  ["get", "/admin/login-as-customer/sessions"],
  ["post", "/admin/login-as-customer/sessions/lacs_123/end", {}],
  ["get", "/admin/login-as-customer/grants"],
  ["post", "/admin/login-as-customer/grants/user_123", { can_view_log: true }],
]

/** The plugin's store routes that need a signed-in customer. */
const STORE_ROUTES: Route[] = [
  ["get", "/store/customers/me/remote-assistance"],
  ["post", "/store/customers/me/remote-assistance", { allowed: true }],
  ["get", "/store/login-as-customer/session"],
  ["delete", "/store/login-as-customer/session"],
]

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    let publishableKey: string
    let jane: Actor

    beforeEach(async () => {
      const container = getContainer()
      publishableKey = await createPublishableKey(container)
      jane = await registerCustomer(api, publishableKey, "jane@example.com")
    })

    function send([method, path, body]: Route, headers: Record<string, string>) {
      const url = path.replace(":customer", jane.id)
      return method === "post" ? api.post(url, body ?? {}, { headers }) : api[method](url, { headers })
    }

    const label = ([method, path]: Route) => `${method.toUpperCase()} ${path}`

    /**
     * Sends every route with the same headers and returns `{ "<METHOD> <path>": status }`,
     * so a failing expectation names the route. Each request must fail, and the
     * plugin's tables must be the same after each one and once subscribers had time.
     */
    async function statusesOf(routes: Route[], headers: Record<string, string>) {
      const responses = await eachRefusedWithoutWrites(
        getContainer(),
        routes.map((route) => () => send(route, headers))
      )
      return Object.fromEntries(routes.map((route, i) => [label(route), responses[i].status]))
    }

    const all = (routes: Route[], status: number) =>
      Object.fromEntries(routes.map((route) => [label(route), status]))

    describe("admin routes", () => {
      it("every admin route without credentials: 401, nothing written", async () => {
        expect(await statusesOf(ADMIN_ROUTES, {})).toEqual(all(ADMIN_ROUTES, 401))
      })

      it("every admin route with a customer's token: 401, nothing written", async () => {
        const headers = { authorization: `Bearer ${jane.token}` }
        expect(await statusesOf(ADMIN_ROUTES, headers)).toEqual(all(ADMIN_ROUTES, 401))
      })

      it("every admin route with a garbled admin token: 401, nothing written", async () => {
        const admin = await createAdmin(api, getContainer())
        // The routes themselves work: the refusals above are authentication.
        expect((await api.get("/admin/login-as-customer/settings", admin.headers)).status).toBe(200)
        const headers = { authorization: `Bearer ${admin.token}x` }
        expect(await statusesOf(ADMIN_ROUTES, headers)).toEqual(all(ADMIN_ROUTES, 401))
      })
    })

    describe("store routes", () => {
      it("with a publishable key but no customer: 401, nothing written", async () => {
        const headers = { "x-publishable-api-key": publishableKey }
        expect(await statusesOf(STORE_ROUTES, headers)).toEqual(all(STORE_ROUTES, 401))
      })

      it("with a customer's token but no publishable key: 400 not_allowed, as Medusa answers", async () => {
        const headers = { authorization: `Bearer ${jane.token}` }
        expect(await statusesOf(STORE_ROUTES, headers)).toEqual(all(STORE_ROUTES, 400))
        const res = await refused(send(STORE_ROUTES[0], headers))
        expect(res.data.type).toBe("not_allowed")
        expect(res.data.message).toMatch(/publishable/i)
      })

      it("with an admin's token instead of a customer's: 401, nothing written", async () => {
        const admin = await createAdmin(api, getContainer())
        const headers = { "x-publishable-api-key": publishableKey, authorization: `Bearer ${admin.token}` }
        expect(await statusesOf(STORE_ROUTES, headers)).toEqual(all(STORE_ROUTES, 401))
      })

      it("the same routes answer 200 for the customer (the 401s above are authentication)", async () => {
        const res = await api.get("/store/customers/me/remote-assistance", jane.headers)
        expect(res.status).toBe(200)
        const session = await api.get("/store/login-as-customer/session", jane.headers)
        expect(session.data).toEqual({ session: null })
      })
    })
  },
})
