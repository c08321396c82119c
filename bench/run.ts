// `npm run bench`: the plugin's cost, measured side by side in one run on a
// real Medusa and a real PostgreSQL (see bench/harness.ts). Every row that
// compares two sides alternates them in rounds and reports their ratio:
// absolute numbers on a shared 2-core machine are noise, ratios measured
// together are not.
//   npm run bench -- --check             exits 1 when a row misses its target
//   npm run bench -- --only=idle,start   some benchmarks (idle, session, start, logged, log, export)
import { spawnSync } from "child_process"
import fs from "fs"
import path from "path"
import { ROOT } from "../integration-tests/processes/stack"
import exportCsv from "./export"
import { LOG_ROWS, report, Row, withStores } from "./harness"
import idle from "./idle"
import logList from "./log-list"
import logged from "./logged"
import { logSizes, seedLog } from "./seed-log"
import session from "./session"
import start from "./start"

const CHECK = process.argv.includes("--check")
const ONLY = process.argv.find((arg) => arg.startsWith("--only="))?.slice(7).split(",")
const runs = (part: string) => !ONLY || ONLY.includes(part)

/** The newest modification time of a file under `dir`. */
function newest(dir: string): number {
  let latest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs)
  }
  return latest
}

async function main() {
  const started = Date.now()
  const built = path.join(ROOT, ".medusa", "server")
  if (!fs.existsSync(path.join(built, "src", "modules")) || newest(path.join(ROOT, "src")) > newest(built)) {
    // The plugin's store installs the built plugin, as a merchant would: build it when missing or older than src/.
    console.log("building the plugin (npm run build)…")
    const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" })
    if (build.status !== 0) throw new Error("npm run build failed")
  }
  const rows: Row[] = []
  await withStores(async (bench) => {
    const step = async (name: string, fn: () => Promise<Row[]>) => {
      if (!runs(name)) return
      const t0 = Date.now()
      process.stdout.write(`${name}… `)
      rows.push(...(await fn()))
      console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s`)
    }
    await step("idle", () => idle(bench))
    await step("session", () => session(bench))
    await step("start", () => start(bench))
    await step("logged", () => logged(bench))
    if (runs("log") || runs("export")) {
      process.stdout.write(`seeding ${LOG_ROWS.toLocaleString("en")} log rows… `)
      const seeded = await seedLog(bench.database, LOG_ROWS)
      console.log(`${(seeded.ms / 1000).toFixed(0)} s`)
      await step("log", () => logList(bench, seeded))
      await step("export", () => exportCsv(bench))
      rows.push(await logSizes(bench.database))
    }
  })
  report(rows, Date.now() - started)
  if (CHECK && rows.some((r) => !r.pass)) {
    process.exitCode = 1
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
