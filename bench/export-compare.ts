// The log export's COPY before and after a change, side by side on the same
// seeded database: `node -r ts-node/register/transpile-only
// bench/export-compare.ts [--before COMMIT] [--lines N] [--rounds R]
// [--database URL]`. Each side writes the whole log as CSV into an HTTP
// response that a client on the same machine reads to the end, the way the
// route does (without Medusa's request handling, which is the same for
// both). Before: copyCsvTo and the query as they were at COMMIT (default:
// the last one whose server scanned every byte of the rows for their line
// ends), read from git. After: the module's copyCsvTo and query now. The
// sides alternate, the order flipping every round; it prints each side's
// rate and the server's CPU per row (this process), and whether both wrote
// the same bytes. bench/export.ts measures the real route and its memory.
import { spawnSync } from "child_process"
import { createHash } from "crypto"
import fs from "fs"
import http from "http"
import os from "os"
import path from "path"
import type { Writable } from "stream"
import { copyCsvTo, CopyKnex } from "../src/modules/login-as-customer/services/log-csv-copy"
import { LOG_CSV_COLUMNS_SQL, LOG_EXPORT_FROM } from "../src/modules/login-as-customer/services/log-csv-sql"
import { LOG_ROWS, median } from "./harness"
import { openPluginDatabase } from "./plugin-db"
import { seedLog } from "./seed-log"

const BEFORE = process.argv.includes("--before") ? process.argv[process.argv.indexOf("--before") + 1] : "9e5b961"
const ROUNDS = Number(process.argv[process.argv.indexOf("--rounds") + 1] || 3)
const TABLE = `"login_as_customer_log_entry"`

/**
 * copyCsvTo and LOG_CSV_COLUMNS_SQL as they were at BEFORE, read from git
 * into a folder beside the module's services, so that their imports
 * (`../utils/…`, `./log-csv-rows`) resolve.
 */
function beforeModules(): { copyCsvTo: typeof copyCsvTo; columns: string; from: string | undefined } {
  const root = path.resolve(__dirname, "..")
  const dir = fs.mkdtempSync(path.join(root, "src", "modules", "login-as-customer", ".before-"))
  try {
    for (const file of ["log-csv-copy.ts", "log-csv-sql.ts", "log-csv-rows.ts"]) {
      const at = `${BEFORE}:src/modules/login-as-customer/services/${file}`
      const source = spawnSync("git", ["show", at], { cwd: root, encoding: "utf8" })
      if (source.status === 0) fs.writeFileSync(path.join(dir, file), source.stdout)
      else if (file !== "log-csv-rows.ts") throw new Error(`git show ${at}: ${source.stderr}`)
    }
    const sql = require(path.join(dir, "log-csv-sql.ts"))
    return { copyCsvTo: require(path.join(dir, "log-csv-copy.ts")).copyCsvTo, columns: sql.LOG_CSV_COLUMNS_SQL, from: sql.LOG_EXPORT_FROM }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** One export; `inOrder` as the module asks for an export without a text (a version before it takes no such option). */
async function copyExport(copy: typeof copyCsvTo, query: string, knex: any, out: Writable): Promise<number> {
  return (await copy(knex as CopyKnex, "export bench", () => query, out, undefined, { inOrder: true })) ?? 0
}

/** Serves one export, reads it to the end over HTTP; rows per second, this process's CPU per row, peak RSS growth, the bytes' digest. */
async function measure(run: (out: Writable) => Promise<number>): Promise<{ rate: number; cpu: number; growth: number; digest: string }> {
  global.gc?.()
  const before = process.memoryUsage.rss()
  let peak = before
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20)
  let rows = 0
  let cpu = { user: 0, system: 0 }
  const server = http.createServer(async (_req, res) => {
    res.writeHead(200, { "content-type": "text/csv" })
    const cpu0 = process.cpuUsage()
    rows = await run(res)
    cpu = process.cpuUsage(cpu0)
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const t0 = performance.now()
  const response = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/`)
  let bytes = 0
  const hash = createHash("sha1")
  const reader = response.body!.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    bytes += value.length
    hash.update(value)
  }
  const seconds = (performance.now() - t0) / 1000
  clearInterval(sampler)
  server.close()
  if (!bytes) throw new Error("nothing exported")
  // The reader's own CPU (fetch, the digest) is in the same process: the same for both sides.
  return { rate: rows / seconds, cpu: (cpu.user + cpu.system) / rows, growth: (peak - before) / 2 ** 20, digest: hash.digest("hex") }
}

/** `--database <url>`: an already seeded database with the plugin's tables, instead of a new one seeded here. */
const DATABASE = process.argv.includes("--database") ? process.argv[process.argv.indexOf("--database") + 1] : null

async function open(): Promise<{ knex: any; stop: () => Promise<void> }> {
  if (DATABASE) {
    const knex = require("knex")({ client: "pg", connection: DATABASE, pool: { min: 1, max: 4 } })
    return { knex, stop: () => knex.destroy() }
  }
  const database = await openPluginDatabase("export-compare", { poolMax: 4 })
  const t0 = Date.now()
  const settings = database.knex.client.connectionSettings
  try {
    await seedLog(`postgres://${settings.user}:${settings.password}@${settings.host}:${settings.port}/${settings.database}`, LOG_ROWS)
  } catch (error) {
    await database.stop()
    throw error
  }
  console.log(`seeded ${LOG_ROWS.toLocaleString("en")} rows in ${((Date.now() - t0) / 1000).toFixed(0)} s`)
  return database
}

async function main() {
  const { knex, stop } = await open()
  try {
    const before = beforeModules()
    const order = (table: string) => `order by ${table}."created_at" desc, ${table}."id" desc`
    const sides = {
      // The query as it was then: before its table had a lateral beside it (LOG_EXPORT_FROM), a bare "id" named the defused id cell.
      before: (out: Writable) =>
        copyExport(
          before.copyCsvTo,
          before.from
            ? `select ${before.columns} from ${before.from} where "deleted_at" is null ${order(TABLE)}`
            : `select ${before.columns} from ${TABLE} where "deleted_at" is null order by "created_at" desc, "id" desc`,
          knex,
          out
        ),
      after: (out: Writable) => copyExport(copyCsvTo, `select ${LOG_CSV_COLUMNS_SQL} from ${LOG_EXPORT_FROM} where "deleted_at" is null ${order(TABLE)}`, knex, out),
    }
    const results: Record<string, Array<{ rate: number; cpu: number; growth: number; digest: string }>> = { before: [], after: [] }
    for (let round = 0; round < ROUNDS; round++) {
      const sequence = round % 2 ? (["after", "before"] as const) : (["before", "after"] as const)
      for (const side of sequence) {
        const result = await measure(sides[side])
        results[side].push(result)
        console.log(
          `round ${round + 1} ${side}: ${Math.round(result.rate).toLocaleString("en")} rows/s, server CPU ${result.cpu.toFixed(2)} µs a row, +${result.growth.toFixed(0)} MB`
        )
      }
    }
    for (const side of ["before", "after"] as const) {
      const rates = results[side].map((r) => r.rate)
      console.log(
        `${side}: median ${Math.round(median(rates)).toLocaleString("en")} rows/s (${rates.map((r) => Math.round(r).toLocaleString("en")).join(", ")}); server CPU median ${median(results[side].map((r) => r.cpu)).toFixed(2)} µs a row; peak RSS growth up to +${Math.max(...results[side].map((r) => r.growth)).toFixed(0)} MB`
      )
    }
    const digests = new Set([...results.before, ...results.after].map((r) => r.digest))
    console.log(`the same bytes on both sides: ${digests.size === 1 ? "yes" : "NO"}`)
    console.log(`ratio after/before (median of rounds): ${median(results.after.map((a, i) => a.rate / results.before[i].rate)).toFixed(2)}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`)
  } finally {
    await stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
