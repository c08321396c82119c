import { execFileSync } from "child_process"
import { recordFigures } from "../helpers/figures"
import path from "path"
import { call, impersonate, seedShop, Shop, sql, tryCall } from "./client"
import { medusaCommand, medusaServer, postgres, Postgres, redis, Redis, ROOT, Server, sleep } from "./stack"

jest.setTimeout(900_000)

/**
 * The plugin as it runs in production, in real processes: Postgres restarted
 * under it, the server SIGKILLed and started again, two servers and a worker
 * sharing Postgres and Redis, and mixed traffic. After each: every success a
 * client saw is in the log exactly once, and no session outlives its end.
 */
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 12)

let pg: Postgres
let database: string
let env: Record<string, string>

const figures: Record<string, unknown> = {}

/** One redis-cli command against the test's Redis. */
async function redisCli(url: string, args: string[]): Promise<string> {
  return execFileSync("redis-cli", ["-u", url, ...args], { encoding: "utf8" }).trim()
}

beforeAll(async () => {
  pg = await postgres(path.join(ROOT, ".pgdata", `processes-${process.pid}`))
  await pg.createDatabase("lac_processes")
  database = pg.url("lac_processes")
  env = {
    DATABASE_URL: database,
    JWT_SECRET: "processes-secret",
    COOKIE_SECRET: "processes-secret",
    LOGIN_AS_CUSTOMER_OPTIONS: JSON.stringify({ exchange_rate_limit: { max_attempts: 100_000, window_seconds: 60 } }),
  }
  medusaCommand(["db:migrate"], env)
  for (const email of ["ada@example.com", "bob@example.com", "cy@example.com"]) {
    medusaCommand(["user", "-e", email, "-p", "supersecret"], env)
  }
})

afterAll(async () => {
  recordFigures("processes", figures)
  await pg?.stop()
})


/** The store_action lines that name a resource id, by id. */
async function actionLinesById(sessionIds: string[]): Promise<Map<string, number>> {
  const rows = await sql<{ id: string; n: number }>(
    database,
    `select rid as id, count(*)::int as n
       from login_as_customer_log_entry, jsonb_array_elements_text(details->'resource_ids') rid
      where action = 'store_action' and session_id = any($1)
      group by rid`,
    [sessionIds]
  )
  return new Map(rows.map((r) => [r.id, r.n]))
}

async function linesOf(action: string, sessionId: string): Promise<number> {
  const [row] = await sql<{ n: number }>(
    database,
    `select count(*)::int as n from login_as_customer_log_entry where action = $1 and session_id = $2`,
    [action, sessionId]
  )
  return row.n
}

describe("faults: one server on the in-process event bus", () => {
  let server: Server
  let shop: Shop

  beforeAll(async () => {
    server = await medusaServer("single", env)
    shop = await seedShop(server, ["ada@example.com"], 2, "faults")
  })

  afterAll(async () => {
    await server?.stop()
  })

  /** Waits at least `ms`, and until the burst has seen a success (at most 60 s more). */
  const succeeded = async (seen: Array<{ status: number }>, ms: number) => {
    await sleep(ms)
    for (let i = 0; i < 240 && !seen.some((s) => s.status === 200); i++) {
      await sleep(250)
    }
  }
  const newCart = (token: string) =>
    tryCall(server, "POST", "/store/carts", { token, publishableKey: shop.publishableKey, body: { region_id: shop.regionId } })

  it("Postgres restarted during a burst of logged store requests: the server recovers by itself, every success is logged once", async () => {
    const { token, sessionId } = await impersonate(server, server, shop, shop.admins[0], shop.customers[0])
    const seen: Array<{ status: number; cartId?: string; at: number }> = []
    let running = true
    const workers = Array.from({ length: 4 }, async () => {
      while (running) {
        const at = Date.now()
        const answer = await newCart(token)
        seen.push({ status: answer.status, cartId: answer.body?.cart?.id, at })
      }
    })
    // The fault comes once the burst is under way (some successes seen), however slow the machine.
    await succeeded(seen, 1500)
    const stoppedAt = Date.now()
    await pg.pg.stop()
    await sleep(2000)
    await pg.pg.start()
    const restartedAt = Date.now()
    // Recovery without a restart of the server: requests succeed again.
    let recovered = false
    for (let i = 0; i < 60 && !recovered; i++) {
      await sleep(500)
      recovered = seen.some((s) => s.at > restartedAt && s.status === 200)
    }
    await sleep(1500)
    running = false
    await Promise.all(workers)
    expect(recovered).toBe(true)

    const ok = seen.filter((s) => s.status === 200)
    const failed = seen.filter((s) => s.status !== 200)
    expect(seen.filter((s) => s.at < stoppedAt && s.status === 200).length).toBeGreaterThan(0)
    expect(seen.filter((s) => s.at > restartedAt && s.status === 200).length).toBeGreaterThan(0)
    // While the database was down, answers were errors, never a success without its line.
    expect(failed.every((s) => s.status >= 500)).toBe(true)
    const lines = await actionLinesById([sessionId])
    expect(ok.filter((s) => lines.get(s.cartId!) !== 1)).toEqual([])
    expect([...lines.values()].every((n) => n === 1)).toBe(true)
    // The session survived the outage.
    expect((await call(server, "GET", "/store/customers/me", { token, publishableKey: shop.publishableKey })).status).toBe(200)
    figures.postgres_restart = { requests: seen.length, succeeded: ok.length, failed_during_outage: failed.length, lines: lines.size }
  })

  it("SIGKILL mid-session and start again: everything answered is on record, the session goes on, an ended one stays ended", async () => {
    const { token, sessionId } = await impersonate(server, server, shop, shop.admins[0], shop.customers[1])
    const carts: string[] = []
    for (let i = 0; i < 5; i++) {
      const answer = await newCart(token)
      expect(answer.status).toBe(200)
      carts.push(answer.body.cart.id)
    }
    await server.kill()
    await server.restart()
    const lines = await actionLinesById([sessionId])
    expect(carts.map((id) => lines.get(id))).toEqual([1, 1, 1, 1, 1])
    expect(await linesOf("session_started", sessionId)).toBe(1)
    expect((await call(server, "GET", "/store/customers/me", { token, publishableKey: shop.publishableKey })).body.customer.id).toBe(shop.customers[1].id)

    const ended = await call(server, "DELETE", "/store/login-as-customer/session", { token, publishableKey: shop.publishableKey })
    expect(ended.status).toBe(200)
    await server.kill()
    await server.restart()
    const refused = await call(server, "GET", "/store/customers/me", { token, publishableKey: shop.publishableKey })
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 401, code: "impersonation_ended" })
    expect(await linesOf("session_ended", sessionId)).toBe(1)
    const [session] = await sql(database, `select ended_at, end_reason from login_as_customer_session where id = $1`, [sessionId])
    expect(session.end_reason).toBe("logout")
    figures.sigkill = { kills: 2, carts: carts.length, lines_found: carts.filter((id) => lines.get(id) === 1).length }
  })

  it("SIGKILL in the middle of a burst: every success a client saw before the kill is on record once", async () => {
    const { token, sessionId } = await impersonate(server, server, shop, shop.admins[0], shop.customers[0])
    const seen: Array<{ status: number; cartId?: string }> = []
    let running = true
    const workers = Array.from({ length: 4 }, async () => {
      while (running) {
        const answer = await newCart(token)
        seen.push({ status: answer.status, cartId: answer.body?.cart?.id })
        // Once the process is gone, stop knocking.
        if (answer.status === 0) return
      }
    })
    await succeeded(seen, 2000)
    await server.kill()
    running = false
    await Promise.all(workers)
    await server.restart()

    const ok = seen.filter((s) => s.status === 200)
    expect(ok.length).toBeGreaterThan(0)
    // Answers are successes or a dropped connection (status 0): nothing in between.
    expect(seen.filter((s) => s.status !== 200 && s.status !== 0)).toEqual([])
    const lines = await actionLinesById([sessionId])
    expect(ok.filter((s) => lines.get(s.cartId!) !== 1)).toEqual([])
    expect([...lines.values()].every((n) => n === 1)).toBe(true)
    // Requests cut off by the kill may or may not have been recorded; none twice.
    const unanswered = seen.length - ok.length
    expect(lines.size - ok.length).toBeLessThanOrEqual(unanswered)
    // The session goes on on the new process.
    expect((await call(server, "GET", "/store/customers/me", { token, publishableKey: shop.publishableKey })).status).toBe(200)
    figures.sigkill_burst = { requests: seen.length, succeeded: ok.length, cut_off: unanswered, lines: lines.size }
  })
})

describe("several instances: two servers and a worker on Postgres and Redis", () => {
  let cache: Redis
  let a: Server
  let b: Server
  let worker: Server
  let shop: Shop

  beforeAll(async () => {
    cache = await redis()
    const shared = { ...env, REDIS_URL: cache.url }
    ;[a, b, worker] = await Promise.all([
      medusaServer("server-a", shared, "server"),
      medusaServer("server-b", shared, "server"),
      medusaServer("worker", shared, "worker"),
    ])
    shop = await seedShop(a, ["ada@example.com", "bob@example.com", "cy@example.com"], 4, "instances")
  })

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), worker?.stop()])
    await cache?.stop()
  })

  it("a session ended on one server is refused on the other at the next request; its events are handled once, on the worker", async () => {
    const customer = shop.customers[2]
    const { token, sessionId } = await impersonate(a, b, shop, shop.admins[0], customer)
    for (const server of [a, b]) {
      expect((await call(server, "GET", "/store/customers/me", { token, publishableKey: shop.publishableKey })).status).toBe(200)
    }
    const ended = await call(a, "POST", `/admin/login-as-customer/sessions/${sessionId}/end`, { token: shop.admins[0].token, body: {} })
    expect(ended.status).toBe(200)
    const refused = await call(b, "GET", "/store/customers/me", { token, publishableKey: shop.publishableKey })
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 401, code: "impersonation_ended" })

    // The customer notification is a subscriber's work: done once, by the worker.
    let notifications = 0
    for (let i = 0; i < 40 && notifications === 0; i++) {
      await sleep(250)
      ;[{ n: notifications }] = await sql(database, `select count(*)::int as n from notification where resource_id = $1`, [sessionId])
    }
    await sleep(1500)
    const [{ n: finalCount }] = await sql(database, `select count(*)::int as n from notification where resource_id = $1`, [sessionId])
    expect(finalCount).toBe(1)
    expect(await linesOf("ticket_issued", sessionId)).toBe(1)
    expect(await linesOf("session_started", sessionId)).toBe(1)
    expect(await linesOf("session_ended", sessionId)).toBe(1)
    figures.instances = { servers: 2, workers: 1, notifications: finalCount }
  })

  it("a subscriber whose first attempt meets a Postgres outage is retried: the notification is sent once", async () => {
    const customer = shop.customers[1]
    // The worker is paused so the event waits in Redis, and Postgres is down
    // by the time the worker picks it up: the subscriber's first attempt fails.
    worker.child.kill("SIGSTOP")
    let sessionId: string
    let token: string
    try {
      ;({ token, sessionId } = await impersonate(a, b, shop, shop.admins[0], customer))
      await pg.pg.stop()
    } finally {
      worker.child.kill("SIGCONT")
    }
    const queue = "RedisEventBusService:events-queue"
    const activeNames = async () => {
      const ids = (await redisCli(cache.url, ["LRANGE", `${queue}:active`, "0", "-1"])).split("\n").filter(Boolean)
      return Promise.all(ids.map((id) => redisCli(cache.url, ["HGET", `${queue}:${id}`, "name"])))
    }
    // The worker is now running the subscriber against a database that is down.
    let running = false
    for (let i = 0; i < 50 && !running; i++) {
      await sleep(100)
      running = (await activeNames()).includes("login_as_customer.session_started")
    }
    await sleep(1000)
    await pg.pg.start()
    expect(running).toBe(true)

    const notifications = async () =>
      (await sql(database, `select count(*)::int as n from notification where resource_id = $1`, [sessionId!]))[0].n as number
    let sent = 0
    for (let i = 0; i < 120 && sent === 0; i++) {
      await sleep(250)
      sent = await notifications().catch(() => 0)
    }
    await sleep(2000)
    expect(await notifications()).toBe(1)
    expect(await activeNames()).not.toContain("login_as_customer.session_started")
    expect(await linesOf("ticket_issued", sessionId!)).toBe(1)
    expect(await linesOf("session_started", sessionId!)).toBe(1)
    // Both servers serve the session again, without a restart.
    for (const server of [a, b]) {
      expect((await call(server, "GET", "/store/customers/me", { token: token!, publishableKey: shop.publishableKey })).status).toBe(200)
    }
    figures.subscriber_retry = { postgres_restarts: 1, subscriber_running_during_outage: running, notifications: 1 }
  })

  it(`mixed traffic for ${LOAD_SECONDS} s over both servers: no errors, every success logged exactly once`, async () => {
    const servers = [a, b]
    const pick = (i: number) => servers[i % 2]
    const deadline = Date.now() + LOAD_SECONDS * 1000
    const errors: string[] = []
    const note = (what: string, status: number, expected: number, body: unknown) => {
      if (status !== expected) errors.push(`${what}: ${status} ${JSON.stringify(body).slice(0, 200)}`)
    }
    const carts: Array<{ id: string; session: string }> = []
    const cycles: Array<{ session: string; ended: boolean }> = []
    let reads = 0

    // Customers browsing on their own.
    const browsing = shop.customers.slice(0, 2).map(async (customer, w) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const me = await call(pick(i + w), "GET", "/store/customers/me", { token: customer.token, publishableKey: shop.publishableKey })
        note("customer me", me.status, 200, me.body)
        const products = await call(pick(i + w + 1), "GET", "/store/products", { publishableKey: shop.publishableKey })
        note("products", products.status, 200, products.body)
        reads += 2
      }
    })
    // A long impersonation session making changes.
    const assisted = (async () => {
      const { token, sessionId } = await impersonate(a, b, shop, shop.admins[1], shop.customers[3])
      for (let i = 0; Date.now() < deadline; i++) {
        const answer = await call(pick(i), "POST", "/store/carts", { token, publishableKey: shop.publishableKey, body: { region_id: shop.regionId } })
        note("assisted cart", answer.status, 200, answer.body)
        if (answer.status === 200) carts.push({ id: answer.body.cart.id, session: sessionId })
        const me = await call(pick(i + 1), "GET", "/store/customers/me", { token, publishableKey: shop.publishableKey })
        note("assisted me", me.status, 200, me.body)
      }
      await call(a, "DELETE", "/store/login-as-customer/session", { token, publishableKey: shop.publishableKey })
      cycles.push({ session: sessionId, ended: true })
    })()
    // An admin starting, using and ending sessions over and over.
    const admin = (async () => {
      for (let i = 0; Date.now() < deadline; i++) {
        const { token, sessionId } = await impersonate(pick(i), pick(i + 1), shop, shop.admins[2], shop.customers[i % 2])
        const answer = await call(pick(i), "POST", "/store/carts", { token, publishableKey: shop.publishableKey, body: { region_id: shop.regionId } })
        note("cycle cart", answer.status, 200, answer.body)
        if (answer.status === 200) carts.push({ id: answer.body.cart.id, session: sessionId })
        const end = await call(pick(i + 1), "POST", `/admin/login-as-customer/sessions/${sessionId}/end`, { token: shop.admins[2].token, body: {} })
        note("cycle end", end.status, 200, end.body)
        cycles.push({ session: sessionId, ended: end.status === 200 })
      }
    })()
    await Promise.all([...browsing, assisted, admin])

    expect(errors).toEqual([])
    const sessions = [...new Set(cycles.map((c) => c.session))]
    const lines = await actionLinesById(sessions)
    const lost = carts.filter((c) => (lines.get(c.id) ?? 0) === 0).length
    const doubled = [...lines.values()].filter((n) => n > 1).length
    const perSession = await sql<{ action: string; session_id: string; n: number }>(
      database,
      `select action, session_id, count(*)::int as n from login_as_customer_log_entry
        where session_id = any($1) and action in ('ticket_issued', 'session_started', 'session_ended')
        group by action, session_id`,
      [sessions]
    )
    const count = (action: string) => perSession.filter((r) => r.action === action && r.n === 1).length
    expect({ lost, doubled }).toEqual({ lost: 0, doubled: 0 })
    expect(perSession.every((r) => r.n === 1)).toBe(true)
    expect(count("ticket_issued")).toBe(sessions.length)
    expect(count("session_started")).toBe(sessions.length)
    expect(count("session_ended")).toBe(cycles.filter((c) => c.ended).length)
    expect(sessions.length).toBeGreaterThan(3)
    figures.load = {
      seconds: LOAD_SECONDS,
      reads,
      changes: carts.length,
      sessions: sessions.length,
      lines_expected: carts.length,
      lines_found: carts.length - lost,
      lost,
      doubled,
      errors: errors.length,
    }
  })
})
