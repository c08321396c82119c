import fc from "fast-check"
import { recordFigures } from "../../helpers/figures"
import type { SuiteContext } from "../../helpers/suite"
import { SESSION_MODES } from "../../../src/types"
import { impersonate, setupStore, Store } from "../../helpers/fixtures"
import { checkAnswer, FuzzResponse, hostileBody, hostileDate, hostileId, hostileQuery, stateDigest } from "../../helpers/fuzz"

// Thousands of made-up tickets come from 127.0.0.1: unlimited-exchanges.spec.ts
// raises the per-address limit (tested in tickets.suite.ts).

/** Cases per route; 17 routes × 600 ≥ 10 000 in CI. */
const RUNS = Number(process.env.FUZZ_RUNS_PER_ROUTE ?? 600)
/** The cases come from this seed, plus the route's index (FUZZ_SEED=<seed> sends the same cases again). */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31)
/** Requests in flight at once: a route's cases are sent in batches of this size. */
const CONCURRENCY = Math.max(1, Number(process.env.FUZZ_CONCURRENCY ?? 8))

type Context = { store: Store; impersonated: { headers: Record<string, string> } }
type Route = {
  name: string
  method: "GET" | "POST" | "DELETE"
  path: (ctx: Context, id: string) => string
  headers: (ctx: Context) => Record<string, string>
  body?: Record<string, fc.Arbitrary<unknown>>
  query?: string[]
  /** The path has an id segment to fuzz (else `id` is the context's real one). */
  fuzzId?: boolean
}

const admin = (ctx: Context) => ctx.store.admin.headers.headers as Record<string, string>
const customer = (ctx: Context) => ctx.store.jane.headers.headers as Record<string, string>
const storefront = (ctx: Context) => ({ "x-publishable-api-key": ctx.store.publishableKey })
const impersonated = (ctx: Context) => ctx.impersonated.headers

const bool = fc.boolean()
const logQuery = ["action", "user_id", "customer_id", "session_id", "created_at[gte]", "created_at[lte]", "q", "order"]
const settingsFields = {
  enabled: bool,
  disable_page_cache: bool,
  store_selection: fc.constantFrom("auto", "manual"),
  ticket_ttl_seconds: fc.integer({ min: -5, max: 700 }),
  session_ttl_seconds: fc.integer({ min: -5, max: 90_000 }),
  storefronts: fc.array(
    fc.record(
      {
        id: fc.string({ maxLength: 10 }),
        name: fc.string({ maxLength: 10 }),
        sales_channel_id: fc.option(fc.string({ maxLength: 10 })),
        login_url: fc.constantFrom("https://shop.example.com/assist", "http://localhost:8000/assist", "javascript:alert(1)"),
      },
      { requiredKeys: ["name", "login_url"] }
    ),
    { maxLength: 3 }
  ),
  access: fc.constantFrom("all_admins", "selected_admins"),
  consent_mode: fc.constantFrom("customer_or_admin", "customer_only", "not_required"),
  require_reason: bool,
  notify_customer: bool,
  restricted_actions: fc.array(fc.constantFrom("change_email", "update_profile", "place_order", "nope"), { maxLength: 3 }),
}

const ROUTES: Route[] = [
  { name: "GET /admin/login-as-customer/settings", method: "GET", path: () => "/admin/login-as-customer/settings", headers: admin, query: ["fields"] },
  { name: "POST /admin/login-as-customer/settings", method: "POST", path: () => "/admin/login-as-customer/settings", headers: admin, body: settingsFields },
  { name: "GET /admin/login-as-customer/log", method: "GET", path: () => "/admin/login-as-customer/log", headers: admin, query: [...logQuery, "limit", "offset"] },
  { name: "GET /admin/login-as-customer/log/export", method: "GET", path: () => "/admin/login-as-customer/log/export", headers: admin, query: logQuery },
  { name: "GET /admin/login-as-customer/log/stats", method: "GET", path: () => "/admin/login-as-customer/log/stats", headers: admin, query: ["days"] },
  { name: "GET /admin/login-as-customer/sessions", method: "GET", path: () => "/admin/login-as-customer/sessions", headers: admin, query: ["customer_id", "user_id", "active", "limit", "offset", "order"] },
  { name: "POST /admin/login-as-customer/sessions/:id/end", method: "POST", path: (_c, id) => `/admin/login-as-customer/sessions/${id}/end`, headers: admin, body: {}, fuzzId: true },
  { name: "GET /admin/login-as-customer/grants", method: "GET", path: () => "/admin/login-as-customer/grants", headers: admin, query: ["limit", "offset"] },
  { name: "POST /admin/login-as-customer/grants/:user_id", method: "POST", path: (_c, id) => `/admin/login-as-customer/grants/${id}`, headers: admin, body: { can_login: bool, can_view_log: bool }, fuzzId: true },
  { name: "GET /admin/customers/:id/login-as-customer", method: "GET", path: (_c, id) => `/admin/customers/${id}/login-as-customer`, headers: admin, fuzzId: true },
  {
    name: "POST /admin/customers/:id/login-as-customer",
    method: "POST",
    path: (ctx) => `/admin/customers/${ctx.store.jane.id}/login-as-customer`,
    headers: admin,
    body: {
      storefront_id: fc.constantFrom("main", "other", null),
      order_id: fc.constantFrom("order_01JZZZZZZZZZZZZZZZZZZZZZZZ", null),
      reason: fc.string({ maxLength: 600 }),
      mode: fc.constantFrom(...SESSION_MODES, "root"),
    },
  },
  { name: "POST /admin/customers/:id/login-as-customer (hostile id)", method: "POST", path: (_c, id) => `/admin/customers/${id}/login-as-customer`, headers: admin, body: { reason: fc.string() }, fuzzId: true },
  {
    name: "POST /admin/customers/:id/login-as-customer/remote-assistance",
    method: "POST",
    path: (_c, id) => `/admin/customers/${id}/login-as-customer/remote-assistance`,
    headers: admin,
    body: { allowed: bool, expires_at: fc.oneof(fc.constantFrom("2999-01-01T00:00:00Z", "yesterday", null, "2000-01-01"), hostileDate) },
    fuzzId: true,
  },
  { name: "GET /store/customers/me/remote-assistance", method: "GET", path: () => "/store/customers/me/remote-assistance", headers: customer, query: ["fields", "limit"] },
  {
    name: "POST /store/customers/me/remote-assistance",
    method: "POST",
    path: () => "/store/customers/me/remote-assistance",
    headers: customer,
    body: { allowed: bool, expires_at: fc.oneof(fc.constantFrom("2999-01-01T00:00:00Z", "soon", null), hostileDate), customer_id: fc.constant("cus_other") },
  },
  { name: "POST /store/login-as-customer/sessions", method: "POST", path: () => "/store/login-as-customer/sessions", headers: storefront, body: { ticket: fc.string({ maxLength: 300 }) } },
  { name: "GET and DELETE /store/login-as-customer/session", method: "GET", path: () => "/store/login-as-customer/session", headers: impersonated, query: ["fields"] },
]

let cases = 0
let serverErrors = 0
let sentAgain = 0

export default function fuzzSuite({ api, getContainer }: SuiteContext) {
  afterAll(() => {
    recordFigures("fuzz", { cases, routes: ROUTES.length, server_errors: serverErrors, seed: SEED, concurrency: CONCURRENCY, sent_again_alone: sentAgain })
  })

  const send = async (method: string, url: string, headers: Record<string, string>, data?: unknown): Promise<FuzzResponse> => {
    const response = await api.request({
      method,
      url,
      headers: { ...headers, "content-type": "application/json" },
      data: data === undefined ? undefined : typeof data === "string" ? data : JSON.stringify(data),
      transformRequest: [(body: unknown) => body],
      validateStatus: () => true,
      maxRedirects: 0,
    })
    return { status: response.status, headers: response.headers as Record<string, unknown>, data: response.data }
  }

  it("answers 400 invalid_data, before sending a byte, to log dates outside years 1 to 9999 and to bodies nested deeper than 32 levels", async () => {
    const store = await setupStore(api as never, getContainer())
    const { headers } = await impersonate(api as never, store)
    const ctx: Context = { store, impersonated: { headers: headers.headers } }
    const refusedAsInvalid = (what: string, response: FuzzResponse) => ({
      what,
      status: response.status,
      type: (response.data as { type?: string } | null)?.type,
      contentType: String(response.headers["content-type"] ?? "").split(";")[0],
    })
    const invalid = (what: string) => ({ what, status: 400, type: "invalid_data", contentType: "application/json" })

    const badDates = ["0000-01-01", "0000-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00", "-000001-01-01T00:00:00Z", "10000-01-01", "+010000-01-01T00:00:00Z", "+275760-09-13T00:00:00Z"]
    for (const path of ["/admin/login-as-customer/log", "/admin/login-as-customer/log/export"]) {
      for (const date of badDates) {
        for (const bound of ["gte", "lte"]) {
          const url = `${path}?created_at[${bound}]=${encodeURIComponent(date)}`
          const response = await send("GET", url, admin(ctx))
          expect(refusedAsInvalid(url, response)).toEqual(invalid(url))
        }
      }
      // The edges of the range are dates like any other.
      for (const date of ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"]) {
        const response = await send("GET", `${path}?created_at[gte]=${encodeURIComponent(date)}`, admin(ctx))
        expect({ path, date, status: response.status }).toEqual({ path, date, status: 200 })
      }
    }

    const deep = (depth: number, open = "[", close = "]") => open.repeat(depth) + close.repeat(depth)
    for (const route of ROUTES.filter((r) => r.method === "POST" || r.name.startsWith("GET and DELETE"))) {
      const method = route.method === "POST" ? "POST" : "DELETE"
      const field = Object.keys(route.body ?? {})[0] ?? "x"
      const bodies = [
        deep(40_000),
        `{"${field}":${deep(40_000)}}`,
        `{"${field}":${deep(33)}}`,
        `{"${field}":${'{"a":'.repeat(33)}1${"}".repeat(33)}}`,
      ]
      for (const body of bodies) {
        const what = `${method} ${route.name} ${body.slice(0, 40)}… (${body.length} chars)`
        const response = await send(method, route.path(ctx, store.jane.id), route.headers(ctx), body)
        expect(refusedAsInvalid(what, response)).toEqual(invalid(what))
      }
    }
  })

  it.each(ROUTES.map((route) => [route.name, route] as const))("%s: never a 5xx, errors are JSON with a code, refusals change nothing", async (_name, route) => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const { headers } = await impersonate(api as never, store)
    const ctx: Context = { store, impersonated: { headers: headers.headers } }

    const input = fc.record({
      id: route.fuzzId ? fc.oneof(hostileId, fc.constant(store.jane.id), fc.constant(store.admin.id)) : fc.constant(""),
      query: route.query ? hostileQuery(route.query) : fc.constant(""),
      body: route.body ? hostileBody(route.body) : fc.constant(undefined),
      method: route.name.startsWith("GET and DELETE") ? fc.constantFrom("GET", "GET", "GET", "DELETE") : fc.constant(route.method),
    })
    // Every problem is collected (shortened), not shrunk: a case is one real request.
    const problems = new Set<string>()
    const short = (text: string) => text.replace(/(.{3})\1{20,}/g, "$1…").slice(0, 300)
    type Case = { id: string; query: string; body: unknown; method: string }
    const describeCase = ({ id, query, body, method }: Case) => `${method} ${route.path(ctx, id)}${query} ${JSON.stringify(body) ?? ""}`
    const sendCase = async (c: Case) => {
      const response = await send(c.method, `${route.path(ctx, c.id)}${c.query}`, route.headers(ctx), c.method === "POST" ? c.body : undefined)
      if (response.status >= 500) serverErrors++
      const problem = checkAnswer(response)
      if (problem) problems.add(short(`${describeCase(c)}: ${problem}`))
      // A refusal or a read must leave the state as it was (an accepted change may change it).
      return { response, unchanging: !problem && (response.status >= 400 || c.method === "GET") }
    }
    // The state's digest, kept while nothing may have changed it.
    let digest: string | null = null
    const current = async () => (digest ??= await stateDigest(container))
    // The cases go in batches sent at once. A batch of refusals and reads must
    // leave the state's digest as it was. When another request of the batch was
    // an accepted change (or the batch changed the state), each refusal and read
    // of it is sent again alone and checked as one request.
    await fc.assert(
      fc.asyncProperty(fc.array(input, { minLength: CONCURRENCY, maxLength: CONCURRENCY }), async (batch) => {
        cases += batch.length
        const before = await current()
        const sent = await Promise.all(batch.map(sendCase))
        digest = null
        const unchanging = batch.filter((_c, i) => sent[i].unchanging)
        if (unchanging.length === batch.length) {
          if ((await current()) === before) return
          problems.add(short(`a batch of ${batch.length} refusals and reads changed the database (each is sent again alone below)`))
        }
        for (const c of unchanging) {
          sentAgain++
          const alone = await current()
          const again = await sendCase(c)
          digest = null
          if (again.unchanging && (await current()) !== alone) {
            problems.add(short(`${describeCase(c)} answered ${again.response.status} but changed the database`))
          }
        }
      }),
      // In CI a run cut short by the time limit fails: CI keeps every case.
      { numRuns: Math.ceil(RUNS / CONCURRENCY), seed: SEED + ROUTES.indexOf(route), interruptAfterTimeLimit: 540_000, markInterruptAsFailure: process.env.CI === "true" }
    )
    expect({ seed: SEED, problems: [...problems] }).toEqual({ seed: SEED, problems: [] })
  })
}
