import fs from "fs"
import path from "path"
import fc from "fast-check"
import type { SuiteContext } from "../../helpers/suite"
import { impersonate, lacService, logRows, refusal, setupStore, Store } from "../../helpers/fixtures"
import { prepareCart, setupCatalog } from "../../helpers/checkout"
import { allTables, BACKGROUND_TABLES, changedTables, STORE_TABLES, tableChecksums } from "../../helpers/db"
import { hostileBody } from "../../helpers/fuzz"

const ROOT = path.resolve(__dirname, "../../..")
const RUNS_PER_ROUTE = 20

type Route = { method: string; template: string }

/**
 * Every state-changing store and auth route the app serves, read off the
 * route files themselves: Medusa's (`@medusajs/medusa/dist/api/{store,auth}`)
 * and the plugin's (`src/api/store`). A route added by a Medusa upgrade is
 * fuzzed without touching this suite.
 */
function mutatingRoutes(): Route[] {
  const sources = [
    { dir: path.join(ROOT, "node_modules/@medusajs/medusa/dist/api"), roots: ["store", "auth"], file: "route.js" },
    { dir: path.join(ROOT, "src/api"), roots: ["store"], file: "route.ts" },
  ]
  const routes: Route[] = []
  const walk = (dir: string, base: string, file: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        walk(full, base, file)
      } else if (entry.name === file) {
        const source = fs.readFileSync(full, "utf8")
        const methods = new Set<string>()
        for (const match of source.matchAll(/^(?:exports\.|export (?:const|async function) )(POST|PUT|PATCH|DELETE)\b(?! = exports| = void)/gm)) {
          methods.add(match[1])
        }
        const template = "/" + path.relative(base, dir).split(path.sep).map((s) => s.replace(/^\[(.+)\]$/, ":$1")).join("/")
        for (const method of methods) routes.push({ method, template })
      }
    }
  }
  for (const { dir, roots, file } of sources) {
    for (const root of roots) walk(path.join(dir, root), dir, file)
  }
  return routes.sort((a, b) => `${a.template} ${a.method}`.localeCompare(`${b.template} ${b.method}`))
}

/** Ids of jane's own things for the route parameters; unknown ids for the rest. */
function fill(template: string, ids: Record<string, string>): string {
  const segments = template.split("/")
  return segments
    .map((segment, i) => {
      if (!segment.startsWith(":")) return segment
      const name = segment.slice(1)
      const parent = segments[i - 1]
      if (name === "actor_type") return "customer"
      if (name === "auth_provider") return "emailpass"
      if (name === "line_id") return ids.line
      if (name === "address_id") return ids.address
      if (parent === "carts") return ids.cart
      if (parent === "orders") return ids.order
      if (parent === "payment-collections") return ids.payment_collection
      return `${parent.replace(/[^a-z]/g, "").slice(0, 5)}_01JZZZZZZZZZZZZZZZZZZZZZZZ`
    })
    .join("/")
}

export default function readOnlySuite({ api, getContainer }: SuiteContext) {
  const send = (method: string, url: string, headers: Record<string, string>, data?: unknown) =>
    api.request({
      method,
      url,
      headers: { ...headers, "content-type": "application/json" },
      data: data === undefined ? undefined : JSON.stringify(data),
      transformRequest: [(body: unknown) => body],
      validateStatus: () => true,
    })

  /** An order, an open cart with a line and a payment collection, and an address, all jane's, made before any session. */
  const janesThings = async (store: Store) => {
    const catalog = await setupCatalog(getContainer(), store.publishableKey)
    const placed = await prepareCart(api, store.jane.headers, catalog)
    const completed = await api.post(`/store/carts/${placed}/complete`, {}, store.jane.headers)
    expect(completed.data.type).toBe("order")
    const cart = await prepareCart(api, store.jane.headers, catalog)
    const { data } = await api.get(`/store/carts/${cart}?fields=*items,*payment_collection`, store.jane.headers)
    const address = await api.post(
      "/store/customers/me/addresses",
      { address_1: "1 Main St", city: "Berlin", country_code: "de" },
      store.jane.headers
    )
    return {
      catalog,
      ids: {
        cart,
        line: data.cart.items[0].id as string,
        payment_collection: data.cart.payment_collection.id as string,
        order: completed.data.order.id as string,
        address: address.data.customer.addresses[0].id as string,
      },
    }
  }

  it("reads every mutating store and auth route off the route files (Medusa's and the plugin's)", () => {
    const routes = mutatingRoutes().map((r) => `${r.method} ${r.template}`)
    // A sample of what must be there: the scan found the routes, and each method of a route.
    expect(routes).toEqual(
      expect.arrayContaining([
        "POST /store/carts",
        "POST /store/carts/:id/line-items",
        "DELETE /store/carts/:id/line-items/:line_id",
        "POST /store/carts/:id/line-items/:line_id",
        "DELETE /store/carts/:id/promotions",
        "POST /store/carts/:id/complete",
        "POST /store/customers/me",
        "DELETE /store/customers/me/addresses/:address_id",
        "POST /store/orders/:id/transfer/accept",
        "POST /store/payment-collections/:id/payment-sessions",
        "POST /auth/session",
        "DELETE /auth/session",
        "POST /auth/:actor_type/:auth_provider/update",
        "POST /store/login-as-customer/sessions",
        "DELETE /store/login-as-customer/session",
        "POST /store/customers/me/remote-assistance",
      ])
    )
    expect(routes.length).toBeGreaterThanOrEqual(35)
    expect(new Set(routes).size).toBe(routes.length)
  })

  it("a read-only session changes nothing through any mutating store or auth route, whatever the body (fuzzed); every refusal is logged", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const mine = await janesThings(store)
    const imp = await impersonate(api as never, store, store.jane, { mode: "read_only" })
    const headers = imp.headers.headers
    // Everything but the log, which grows by one refused store action per request.
    const tables = await allTables(container, [...BACKGROUND_TABLES, "login_as_customer_log_entry"])
    const caseTables = STORE_TABLES.filter((t) => t !== "login_as_customer_log_entry")

    // Ending the session is the one change a read-only session may make; it comes last.
    const routes = mutatingRoutes().filter((r) => !(r.method === "DELETE" && r.template === "/store/login-as-customer/session"))
    // Methods no route serves are refused the same way.
    routes.push({ method: "PUT", template: "/store/customers/me" }, { method: "PATCH", template: "/store/carts/:id" })

    let cases = 0
    let parsed = 0
    const problems: string[] = []
    for (const { method, template } of routes) {
      const url = fill(template, mine.ids)
      const routeBefore = await tableChecksums(container, tables)
      await fc.assert(
        fc.asyncProperty(
          hostileBody({
            first_name: fc.string(),
            email: fc.constant("evil@example.com"),
            password: fc.constant("not-the-password"),
            region_id: fc.constant(mine.catalog.region.id),
            variant_id: fc.constant(mine.catalog.variantId),
            quantity: fc.integer({ min: -1, max: 5 }),
            promo_codes: fc.array(fc.string()),
            address_1: fc.string(),
            cart_id: fc.constant(mine.ids.cart),
            order_id: fc.constant(mine.ids.order),
            provider_id: fc.constant("pp_system_default"),
            allowed: fc.boolean(),
            ticket: fc.string(),
          }),
          async (body) => {
            cases++
            const before = await tableChecksums(container, caseTables)
            const response = await send(method, url, headers, method === "DELETE" ? undefined : body)
            // Medusa's strict JSON parser turns away scalar or oversized bodies before any route or guard.
            const parserRefused =
              (response.status === 400 || response.status === 413) && /JSON|too large/.test(response.data?.message ?? "")
            const guardRefused = response.status === 403 && response.data?.code === "read_only_session"
            if (parserRefused) parsed++
            if (!guardRefused && !parserRefused) {
              problems.push(`${method} ${url}: ${response.status} ${JSON.stringify(response.data).slice(0, 160)}`)
            }
            const changed = changedTables(before, await tableChecksums(container, caseTables))
            if (Object.keys(changed).length) problems.push(`${method} ${url} changed ${JSON.stringify(changed)}`)
          }
        ),
        { numRuns: RUNS_PER_ROUTE }
      )
      const changed = changedTables(routeBefore, await tableChecksums(container, tables))
      if (Object.keys(changed).length) problems.push(`${method} ${template} changed ${JSON.stringify(changed)}`)
    }
    expect(problems).toEqual([])
    expect(cases).toBe(routes.length * RUNS_PER_ROUTE)
    // Fuzzing reached the guard far more often than the parser.
    expect(parsed).toBeLessThan(cases / 2)

    // Every refusal is on record, as refused, with its route.
    const refused = await logRows(container, "store_action", { session_id: imp.session.id })
    expect(refused.length).toBe(cases - parsed)
    expect(refused.filter((row) => row.details.outcome !== "refused" || row.details.code !== "read_only_session")).toEqual([])
    const logged = new Set(refused.map((row) => `${row.details.method} ${row.details.path}`))
    for (const { method, template } of routes) {
      expect(logged).toContain(`${method} ${fill(template, mine.ids)}`)
    }

    // Reads still work; ending the session does, and then nothing does.
    expect((await send("GET", `/store/carts/${mine.ids.cart}`, headers)).status).toBe(200)
    expect((await send("GET", `/store/orders/${mine.ids.order}`, headers)).status).toBe(200)
    const ended = await send("DELETE", "/store/login-as-customer/session", headers)
    expect(ended.status).toBe(200)
    expect(ended.data.session.end_reason).toBe("logout")
    const [session] = await lacService(container).listLoginAsCustomerSessions({ id: imp.session.id })
    expect(session.end_reason).toBe("logout")
    const after = await refusal(api.get("/store/customers/me", imp.headers))
    expect({ status: after.status, code: after.data.code }).toEqual({ status: 401, code: "impersonation_ended" })
  })
}
