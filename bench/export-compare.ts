// The log export before and after it became one COPY, side by side on the
// same seeded database: `node -r ts-node/register/transpile-only
// bench/export-compare.ts [--lines N] [--rounds R] [--database URL]`. Each side writes the
// whole log as CSV into an HTTP response that a client on the same machine
// reads to the end, the way the route does (without Medusa's request
// handling, which is the same for both). Before: the cursor read 5 000 rows
// at a time, each line written by PostgreSQL as one text (LOG_CSV_LINE_SQL of
// commit BEFORE), joined in this process. After: the module's copyCsvTo.
// The sides alternate, the order flipping every round; bench/export.ts
// measures the real route and its memory.
import { execFileSync } from "child_process"
import fs from "fs"
import http from "http"
import os from "os"
import path from "path"
import type { Writable } from "stream"
import { copyCsvTo, CopyKnex } from "../src/modules/login-as-customer/services/log-csv-copy"
import { LOG_CSV_COLUMNS_SQL } from "../src/modules/login-as-customer/services/log-csv-sql"
import { LOG_ROWS, median } from "./harness"
import { openPluginDatabase } from "./plugin-db"
import { seedLog } from "./seed-log"

/** The last commit with the cursor export. */
const BEFORE = "cdb6b09"
const ROUNDS = Number(process.argv[process.argv.indexOf("--rounds") + 1] || 3)
const TABLE = `"login_as_customer_log_entry"`
const ORDER = `order by "created_at" desc, "id" desc`

/** The previous LOG_CSV_LINE_SQL, read from git. */
function beforeLineSql(): string {
  const source = execFileSync("git", ["show", `${BEFORE}:src/modules/login-as-customer/services/log-csv-sql.ts`], {
    cwd: path.resolve(__dirname, ".."),
    encoding: "utf8",
  })
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "export-before-")), "log-csv-sql.ts")
  fs.writeFileSync(file, source)
  return require(file).LOG_CSV_LINE_SQL
}

/** The previous export's read: one transaction, a cursor, 5 000 rows per fetch, the next fetched while one is sent. */
async function cursorExport(knex: any, lineSql: string, out: Writable): Promise<number> {
  return await knex.transaction(async (trx: any) => {
    await trx.raw(`declare "export" no scroll cursor for select ${lineSql} as "line" from ${TABLE} where "deleted_at" is null ${ORDER}`)
    const fetch = async () => (await trx.raw(`fetch forward 5000 from "export"`)).rows as Array<{ line: string }>
    let total = 0
    let next = fetch()
    for (;;) {
      const rows = await next
      if (!rows.length) break
      total += rows.length
      next = rows.length < 5000 ? Promise.resolve([]) : fetch()
      let csv = ""
      for (const row of rows) csv += row.line
      if (!out.write(csv)) await new Promise((resolve) => out.once("drain", resolve))
    }
    return total
  })
}

async function copyExport(knex: any, out: Writable): Promise<number> {
  const rows = await copyCsvTo(
    knex as CopyKnex,
    "export bench",
    () => `select ${LOG_CSV_COLUMNS_SQL} from ${TABLE} where "deleted_at" is null ${ORDER}`,
    out
  )
  return rows ?? 0
}

/** Serves one export, reads it to the end over HTTP; rows per second and this process's peak RSS growth. */
async function measure(run: (out: Writable) => Promise<number>): Promise<{ rate: number; growth: number }> {
  global.gc?.()
  const before = process.memoryUsage.rss()
  let peak = before
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20)
  let rows = 0
  const server = http.createServer(async (_req, res) => {
    res.writeHead(200, { "content-type": "text/csv" })
    rows = await run(res)
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const t0 = performance.now()
  const response = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/`)
  let bytes = 0
  const reader = response.body!.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    bytes += value.length
  }
  const seconds = (performance.now() - t0) / 1000
  clearInterval(sampler)
  server.close()
  if (!bytes) throw new Error("nothing exported")
  return { rate: rows / seconds, growth: (peak - before) / 2 ** 20 }
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
    const lineSql = beforeLineSql()
    const sides = {
      before: (out: Writable) => cursorExport(knex, lineSql, out),
      after: (out: Writable) => copyExport(knex, out),
    }
    const results: Record<string, Array<{ rate: number; growth: number }>> = { before: [], after: [] }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? (["after", "before"] as const) : (["before", "after"] as const)
      for (const side of order) {
        const result = await measure(sides[side])
        results[side].push(result)
        console.log(`round ${round + 1} ${side}: ${Math.round(result.rate).toLocaleString("en")} rows/s, +${result.growth.toFixed(0)} MB`)
      }
    }
    for (const side of ["before", "after"] as const) {
      const rates = results[side].map((r) => r.rate)
      console.log(
        `${side}: median ${Math.round(median(rates)).toLocaleString("en")} rows/s (${rates.map((r) => Math.round(r).toLocaleString("en")).join(", ")}); peak RSS growth up to +${Math.max(...results[side].map((r) => r.growth)).toFixed(0)} MB`
      )
    }
    console.log(`ratio after/before (median of rounds): ${median(results.after.map((a, i) => a.rate / results.before[i].rate)).toFixed(2)}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`)
  } finally {
    await stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
