// `npm run bench`: the plugin's cost, measured side by side in one run on a
// real Medusa and a real PostgreSQL. Every row alternates its two sides in
// rounds and reports the ratio of medians: absolute numbers on a shared
// 2-core machine are noise, ratios measured together are not.
// `npm run bench -- --check` exits 1 when a row misses its target.
import { spawnSync } from "child_process"
import fs from "fs"
import os from "os"
import path from "path"
import autocannon from "autocannon"
import { call, impersonate, seedShop, Shop, sql } from "../integration-tests/processes/client"
import { medusaCommand, medusaServer, postgres, ROOT, Server } from "../integration-tests/processes/stack"
import { seedLog } from "./seed-log"

const CHECK = process.argv.includes("--check")
/** `--only=idle,session,start,logged,log,export`: run some rows (all by default). */
const ONLY = process.argv.find((arg) => arg.startsWith("--only="))?.slice(7).split(",")
const runs = (part: string) => !ONLY || ONLY.includes(part)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
const LOG_ROWS = Number(process.env.BENCH_LOG_ROWS ?? 1_000_000)

type Row = {
  measure: string
  baseline: string
  plugin: string
  ratio: number | null
  target: string
  pass: boolean
}
const rows: Row[] = []

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/** Requests per second of `path` on `server` for SECONDS, 8 connections. */
async function throughput(server: Server, urlPath: string, headers: Record<string, string>): Promise<number> {
  const result = await autocannon({
    url: `${server.url}${urlPath}`,
    connections: 8,
    duration: SECONDS,
    headers,
  })
  if (result.non2xx || result.errors) {
    throw new Error(`${urlPath}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  }
  return result.requests.average
}

/** The same load on two sides, alternating A, B, A, B…: the medians and their ratio (B / A). */
async function sideBySide(a: () => Promise<number>, b: () => Promise<number>) {
  const as: number[] = []
  const bs: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    as.push(await a())
    bs.push(await b())
  }
  return { a: median(as), b: median(bs), ratio: median(bs) / median(as) }
}

/** The newest modification time of a file under `dir`. */
function newest(dir: string): number {
  let latest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs)
  }
  return latest
}

/**
 * `BENCH_PROFILE=<dir>`: the plugin's server writes a V8 CPU profile there
 * when it stops (open it in Chrome's DevTools), to see where a row's time goes.
 */
const PROFILE_ARGS = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`] : []

function writeApp(dir: string, withPlugin: boolean) {
  fs.mkdirSync(dir, { recursive: true })
  // Medusa's CLI runs only in a directory whose package.json depends on it.
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: `bench-${withPlugin ? "plugin" : "baseline"}`, private: true, dependencies: { "@medusajs/medusa": "2.21.2" } }, null, 2)
  )
  fs.writeFileSync(
    path.join(dir, "medusa-config.js"),
    `// Written by bench/run.ts: ${withPlugin ? "the store with the plugin installed" : "the same store without the plugin"}.
const { defineConfig } = require("@medusajs/framework/utils")
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: { jwtSecret: process.env.JWT_SECRET, cookieSecret: process.env.COOKIE_SECRET, storeCors: "*", adminCors: "*", authCors: "*" },
  },
  admin: { disable: true },
  // Both stores send email through Medusa's local provider (it only logs), as a store with notifications on would.
  modules: [{ resolve: "@medusajs/medusa/notification", options: { providers: [{ resolve: "@medusajs/medusa/notification-local", id: "local", options: { name: "Local", channels: ["email"] } }] } }],
  ${withPlugin ? `plugins: [{ resolve: ${JSON.stringify(ROOT)}, options: {} }],` : ""}
})
`
  )
}

async function main() {
  const started = Date.now()
  const built = path.join(ROOT, ".medusa", "server")
  if (!fs.existsSync(path.join(built, "src", "modules")) || newest(path.join(ROOT, "src")) > newest(built)) {
    // The plugin store installs the built plugin, as a merchant would: build it when missing or older than src/.
    console.log("building the plugin (npm run build)…")
    const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" })
    if (build.status !== 0) throw new Error("npm run build failed")
  }
  const work = path.join(ROOT, "bench", ".data")
  fs.mkdirSync(work, { recursive: true })
  const pg = await postgres(path.join(work, "pg"))
  try {
    await pg.createDatabase("bench")
    const env = {
      DATABASE_URL: pg.url("bench"),
      JWT_SECRET: "bench-secret",
      COOKIE_SECRET: "bench-secret",
      LOG_LEVEL: "error",
      LOGIN_AS_CUSTOMER_OPTIONS: JSON.stringify({ exchange_rate_limit: false }),
    }
    process.stdout.write("migrating… ")
    medusaCommand(["db:migrate"], env)
    for (const email of ["ada@example.com", "bob@example.com"]) medusaCommand(["user", "-e", email, "-p", "supersecret"], env)
    console.log("done")

    const plugin = await medusaServer("plugin", env)
    const shop: Shop = await seedShop(plugin, ["ada@example.com", "bob@example.com"], 2, "bench")
    await plugin.stop()

    // The two stores: the same config, one with the plugin installed, one without.
    const apps = path.join(work, "apps")
    writeApp(path.join(apps, "baseline"), false)
    writeApp(path.join(apps, "plugin"), true)
    const servers = {
      baseline: await medusaServer("baseline", env, "shared", path.join(apps, "baseline")),
      plugin: await medusaServer("plugin", env, "shared", path.join(apps, "plugin"), PROFILE_ARGS),
    }
    try {
      await measure(servers, shop, pg.url("bench"))
    } finally {
      await Promise.all(Object.values(servers).map((s) => s.stop()))
    }
  } finally {
    await pg.stop()
  }
  report(Date.now() - started)
}

async function measure(servers: { baseline: Server; plugin: Server }, shop: Shop, database: string) {
  const { baseline, plugin } = servers
  const customer = shop.customers[0]
  const pk = { "x-publishable-api-key": shop.publishableKey }
  const asCustomer = { ...pk, authorization: `Bearer ${customer.token}` }

  // 1. Idle cost: plugin installed vs not, ordinary requests.
  if (runs("idle")) {
    for (const [label, urlPath, headers] of [
      ["GET /store/products", "/store/products", pk],
      ["GET /store/customers/me", "/store/customers/me", asCustomer],
    ] as const) {
      await throughput(baseline, urlPath, headers)
      await throughput(plugin, urlPath, headers)
      const r = await sideBySide(() => throughput(baseline, urlPath, headers), () => throughput(plugin, urlPath, headers))
      rows.push({
        measure: `${label}, not impersonating: with the plugin vs without (req/s)`,
        baseline: r.a.toFixed(0),
        plugin: r.b.toFixed(0),
        ratio: r.ratio,
        target: "≥ 0.98",
        pass: r.ratio >= 0.98,
      })
    }
  }

  // 2. In-use cost: an impersonation session vs the customer's own session, on the plugin's store.
  if (runs("session")) {
    const { token } = await impersonate(plugin, plugin, shop, shop.admins[0], shop.customers[1])
    const own = { ...pk, authorization: `Bearer ${shop.customers[1].token}` }
    const assisted = { ...pk, authorization: `Bearer ${token}` }
    for (const [label, urlPath] of [
      ["GET /store/products", "/store/products"],
      ["GET /store/customers/me", "/store/customers/me"],
    ] as const) {
      await throughput(plugin, urlPath, assisted)
      const r = await sideBySide(() => throughput(plugin, urlPath, own), () => throughput(plugin, urlPath, assisted))
      rows.push({
        measure: `${label}: impersonation session vs the customer's own (req/s)`,
        baseline: r.a.toFixed(0),
        plugin: r.b.toFixed(0),
        ratio: r.ratio,
        target: "≥ 0.90",
        pass: r.ratio >= 0.9,
      })
    }
  }

  // 3. Start → exchange → first store request, end to end, one at a time.
  if (runs("start")) {
    const legs = { start: [] as number[], exchange: [] as number[], first: [] as number[], total: [] as number[] }
    for (let i = 0; i < 70; i++) {
      const admin = shop.admins[i % 2]
      const target = shop.customers[i % 2]
      const t0 = performance.now()
      const started = await call(plugin, "POST", `/admin/customers/${target.id}/login-as-customer`, { token: admin.token, body: {} })
      if (started.status !== 201) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`)
      const t1 = performance.now()
      const ticket = new URLSearchParams(new URL(started.body.redirect_url).hash.slice(1)).get("ticket")
      const exchanged = await call(plugin, "POST", "/store/login-as-customer/sessions", { publishableKey: shop.publishableKey, body: { ticket } })
      if (exchanged.status !== 201) throw new Error(`exchange: ${exchanged.status} ${JSON.stringify(exchanged.body)}`)
      const t2 = performance.now()
      const me = await call(plugin, "GET", "/store/customers/me", { token: exchanged.body.token, publishableKey: shop.publishableKey })
      if (me.status !== 200) throw new Error(`first request: ${me.status}`)
      const t3 = performance.now()
      if (i >= 10) {
        legs.start.push(t1 - t0)
        legs.exchange.push(t2 - t1)
        legs.first.push(t3 - t2)
        legs.total.push(t3 - t0)
      }
    }
    const p50 = median(legs.total)
    rows.push({
      measure: "admin start → ticket exchange → first store request, end to end (ms)",
      baseline: "",
      plugin: `p50 ${p50.toFixed(1)}, p99 ${percentile(legs.total, 99).toFixed(1)} (p50 of each: start ${median(legs.start).toFixed(1)}, exchange ${median(legs.exchange).toFixed(1)}, first request ${median(legs.first).toFixed(1)})`,
      ratio: null,
      target: "p50 ≤ 40 ms",
      pass: p50 <= 40,
    })
  }

  // 4. Mutating store requests under load: each logged exactly once.
  if (runs("logged")) {
    const logged = await impersonate(plugin, plugin, shop, shop.admins[0], shop.customers[0])
    const carts: string[] = []
    let failures = 0
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 50; i++) {
          const answer = await call(plugin, "POST", "/store/carts", {
            token: logged.token,
            publishableKey: shop.publishableKey,
            body: { region_id: shop.regionId },
          })
          if (answer.status === 200) carts.push(answer.body.cart.id)
          else failures++
        }
      })
    )
    // Lines are written before the answer is sent; give any later writer a moment anyway.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const lines = await sql<{ id: string; n: number }>(
      database,
      `select rid as id, count(*)::int as n from login_as_customer_log_entry, jsonb_array_elements_text(details->'resource_ids') rid
        where action = 'store_action' and session_id = $1 group by rid`,
      [logged.sessionId]
    )
    const byId = new Map(lines.map((l) => [l.id, l.n]))
    const lost = carts.filter((id) => !byId.get(id)).length
    const doubled = carts.filter((id) => (byId.get(id) ?? 0) > 1).length
    rows.push({
      measure: `POST /store/carts in one session, 8 at a time (${carts.length} answered 200, ${failures} failed): lost / doubled log lines`,
      baseline: "",
      plugin: `${lost} / ${doubled}`,
      ratio: null,
      target: "0 / 0",
      pass: lost === 0 && doubled === 0 && failures === 0,
    })
  }

  if (!runs("log") && !runs("export")) return

  // 5. The log at a million rows.
  process.stdout.write(`seeding ${LOG_ROWS.toLocaleString("en")} log rows… `)
  const seeded = await seedLog(database, LOG_ROWS)
  console.log(`done in ${(seeded.ms / 1000).toFixed(1)} s`)
  const admin = shop.admins[0].token
  if (runs("log")) {
    const filters: Array<[string, string]> = [
      ["none", ""],
      ["admin", `user_id=${seeded.sample.user_id}`],
      ["customer", `customer_id=${seeded.sample.customer_id}`],
      ["action", `action=${seeded.sample.action}`],
      ["date range (a week)", `created_at[gte]=${seeded.sample.from}&created_at[lte]=${seeded.sample.to}`],
      [`text "${seeded.sample.text}"`, `q=${encodeURIComponent(seeded.sample.text)}`],
    ]
    for (const [label, query] of filters) {
      const durations: number[] = []
      let answer: Awaited<ReturnType<typeof call>> | undefined
      for (let i = 0; i < 22; i++) {
        const t0 = performance.now()
        answer = await call(plugin, "GET", `/admin/login-as-customer/log?limit=50&${query}`, { token: admin })
        if (answer.status !== 200) throw new Error(`log ${label}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`)
        if (i >= 2) durations.push(performance.now() - t0)
      }
      const p = median(durations)
      const { count, count_estimated } = answer!.body
      rows.push({
        measure: `log list, 50 rows of ${LOG_ROWS.toLocaleString("en")}, filter: ${label} (ms; count)`,
        baseline: "",
        plugin: `p50 ${p.toFixed(1)}; ${count_estimated ? "~" : ""}${count.toLocaleString("en")}`,
        ratio: null,
        target: "p50 ≤ 50 ms",
        pass: p <= 50,
      })
    }
  }

  // 6. CSV export of every row: rows per second and the server's peak RSS growth.
  if (runs("export")) {
    const rss = () => {
      const status = fs.readFileSync(`/proc/${plugin.child.pid}/status`, "utf8")
      return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024
    }
    const before = rss()
    let peak = before
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20)
    const t0 = performance.now()
    const response = await fetch(`${plugin.url}/admin/login-as-customer/log/export`, { headers: { authorization: `Bearer ${admin}` } })
    let lineCount = 0
    const reader = response.body!.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength)
      for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lineCount++
    }
    const seconds = (performance.now() - t0) / 1000
    clearInterval(sampler)
    peak = Math.max(peak, rss())
    // Header line aside; a value with a line break inside quotes would add lines, the seeded ones have none.
    const exported = lineCount - 1
    const growth = (peak - before) / 1024 / 1024
    rows.push({
      measure: `CSV export of ${exported.toLocaleString("en")} rows (rows/s; server's peak RSS growth)`,
      baseline: "",
      plugin: `${Math.round(exported / seconds).toLocaleString("en")} rows/s; +${growth.toFixed(0)} MB`,
      ratio: null,
      target: "≥ 100 000 rows/s; ≤ 100 MB",
      pass: exported / seconds >= 100_000 && growth <= 100,
    })
  }
}

function report(ms: number) {
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`
  const lines = [
    "| measure | baseline | plugin | ratio | target | pass |",
    "|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.measure} | ${r.baseline} | ${r.plugin} | ${r.ratio == null ? "" : r.ratio.toFixed(3)} | ${r.target} | ${r.pass ? "pass" : "**miss**"} |`),
  ]
  console.log(`\n${lines.join("\n")}\n\n${machine}; ${ROUNDS} rounds of ${SECONDS} s per side; whole run ${(ms / 1000).toFixed(0)} s`)
  fs.writeFileSync(
    path.join(ROOT, "bench", "results.json"),
    JSON.stringify({ date: new Date().toISOString(), machine, rounds: ROUNDS, seconds: SECONDS, rows }, null, 2)
  )
  if (CHECK && rows.some((r) => !r.pass)) {
    process.exitCode = 1
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
