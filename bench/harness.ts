// The shared harness of `npm run bench`: embedded PostgreSQL, two stores
// (the same app with and without the plugin, installed from .medusa/server
// as a merchant installs it), the shop they share, measuring helpers and the
// report. Each benchmark is a file of its own in bench/.
import fs from "fs"
import os from "os"
import path from "path"
import autocannon from "autocannon"
import { seedShop, Shop } from "../integration-tests/processes/client"
import { medusaCommand, medusaServer, postgres, ROOT, Server } from "../integration-tests/processes/stack"

/** One line of the table. */
export type Row = {
  measure: string
  baseline: string
  plugin: string
  ratio: number | null
  target: string
  pass: boolean
}

export type Bench = {
  /** The store without the plugin. */
  baseline: Server
  /** A second process of the store without the plugin: measured against the first, it shows the noise. */
  baselineAgain: Server
  /** The same store with the plugin installed. */
  plugin: Server
  shop: Shop
  /** Connection string of the database both stores use. */
  database: string
}

export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8)
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
/** Log lines seeded for the list and export rows: `--lines N` (or BENCH_LOG_ROWS), default 1 000 000. */
export const LOG_ROWS = (() => {
  const at = process.argv.findIndex((arg) => arg === "--lines" || arg.startsWith("--lines="))
  const value = at < 0 ? process.env.BENCH_LOG_ROWS ?? "1000000" : process.argv[at].includes("=") ? process.argv[at].split("=")[1] : process.argv[at + 1]
  const n = Number(String(value).replace(/_/g, ""))
  if (!Number.isInteger(n) || n < 1) throw new Error(`--lines needs a positive whole number, got ${value}`)
  return n
})()

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** Requests per second of `urlPath` on `server` for `seconds`, 8 connections; any non-2xx answer is an error. */
export async function throughput(server: Server, urlPath: string, headers: Record<string, string>, seconds = SECONDS): Promise<number> {
  const result = await autocannon({ url: `${server.url}${urlPath}`, connections: 8, duration: seconds, headers })
  if (result.non2xx || result.errors) {
    throw new Error(`${urlPath}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  }
  return result.requests.average
}

/**
 * The same load on two sides in ROUNDS rounds, the order flipping every
 * round (A B, B A, A B…) so neither side always runs first or warmer. The
 * ratio is the median of each round's B / A: two measures taken seconds
 * apart share the machine's mood, which a ratio of overall medians doesn't.
 */
export async function sideBySide(a: () => Promise<number>, b: () => Promise<number>) {
  const as: number[] = []
  const bs: number[] = []
  const ratios: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const [x, y] = round % 2 ? [await b(), await a()].reverse() : [await a(), await b()]
    as.push(x)
    bs.push(y)
    ratios.push(y / x)
  }
  return { a: median(as), b: median(bs), ratio: median(ratios), ratios }
}

/** Milliseconds one call takes, `count` times after `warmup` untimed calls. */
export async function timings(count: number, warmup: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < warmup + count; i++) {
    const t0 = performance.now()
    await fn(i)
    if (i >= warmup) out.push(performance.now() - t0)
  }
  return out
}

/** A store's directory: the same config, with the plugin or without it. */
function writeApp(dir: string, withPlugin: boolean) {
  fs.mkdirSync(dir, { recursive: true })
  // Medusa's CLI runs only in a directory whose package.json depends on it.
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: `bench-${withPlugin ? "plugin" : "baseline"}`, private: true, dependencies: { "@medusajs/medusa": "2.21.2" } }, null, 2)
  )
  fs.writeFileSync(
    path.join(dir, "medusa-config.js"),
    `// Written by bench/harness.ts: ${withPlugin ? "the store with the plugin installed" : "the same store without the plugin"}.
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

/**
 * `BENCH_PROFILE=<dir>`: the plugin's server writes a V8 CPU profile there
 * when it stops (open it in Chrome's DevTools), to see where a row's time goes.
 */
const PROFILE_ARGS = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`] : []

/**
 * Starts PostgreSQL, migrates and seeds one database (two admins, two
 * customers with consent, a storefront key, the feature on, through the
 * HTTP API), then the two stores on it; runs `fn` and stops everything.
 */
export async function withStores<T>(fn: (bench: Bench) => Promise<T>): Promise<T> {
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
      // The seeded settings' storefront login URL must be at an allowed storefront origin.
      STORE_CORS: "https://shop.example.com",
      LOGIN_AS_CUSTOMER_OPTIONS: JSON.stringify({ exchange_rate_limit: false }),
    }
    process.stdout.write("migrating and seeding… ")
    medusaCommand(["db:migrate"], env)
    for (const email of ["ada@example.com", "bob@example.com"]) medusaCommand(["user", "-e", email, "-p", "supersecret"], env)
    const seeder = await medusaServer("seeder", env)
    const shop = await seedShop(seeder, ["ada@example.com", "bob@example.com"], 2, "bench")
    await seeder.stop()
    console.log("done")

    const apps = path.join(work, "apps")
    writeApp(path.join(apps, "baseline"), false)
    writeApp(path.join(apps, "plugin"), true)
    const baseline = await medusaServer("baseline", env, "shared", path.join(apps, "baseline"))
    const baselineAgain = await medusaServer("baseline-again", env, "shared", path.join(apps, "baseline"))
    const plugin = await medusaServer("plugin", env, "shared", path.join(apps, "plugin"), PROFILE_ARGS)
    try {
      return await fn({ baseline, baselineAgain, plugin, shop, database: pg.url("bench") })
    } finally {
      await Promise.all([baseline.stop(), baselineAgain.stop(), plugin.stop()])
    }
  } finally {
    await pg.stop()
  }
}

/** The machine the table was measured on. */
export function machine(): string {
  return `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`
}

/** Prints the table and writes bench/results.json. */
export function report(rows: Row[], ms: number): string {
  const lines = [
    "| measure | baseline | plugin | ratio | target | pass |",
    "|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.measure} | ${r.baseline} | ${r.plugin} | ${r.ratio == null ? "" : r.ratio.toFixed(3)} | ${r.target} | ${r.target ? (r.pass ? "pass" : "**miss**") : ""} |`
    ),
  ]
  const footer = `${machine()}; ${ROUNDS} rounds of ${SECONDS} s per side; whole run ${(ms / 1000).toFixed(0)} s`
  console.log(`\n${lines.join("\n")}\n\n${footer}`)
  fs.writeFileSync(
    path.join(ROOT, "bench", "results.json"),
    JSON.stringify({ date: new Date().toISOString(), machine: machine(), rounds: ROUNDS, seconds: SECONDS, ms, rows }, null, 2) + "\n"
  )
  return footer
}
