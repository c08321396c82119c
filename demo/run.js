// `npm run demo`: an embedded PostgreSQL (data in .demo/), migrations, the
// idempotent seed, Medusa with the plugin on :9000 and the reference
// storefront on :8000. Ctrl-C stops everything; the next run reuses the data.
const { spawn, spawnSync } = require("child_process")
const fs = require("fs")
const net = require("net")
const path = require("path")
const { startPostgres } = require("../scripts/pg")
const { startStorefront } = require("./storefront/server")

const root = path.resolve(__dirname, "..")
// DEMO_DIR lets the browser tests run the same stack on data of their own.
const demoDir = path.resolve(root, process.env.DEMO_DIR || ".demo")
const logFile = path.join(demoDir, "medusa.log")
const PG_PORT = Number(process.env.DEMO_PG_PORT || 54329)
// Other ports let a second stack run beside one on the defaults.
const MEDUSA_PORT = Number(process.env.DEMO_MEDUSA_PORT || 9000)
const STOREFRONT_PORT = Number(process.env.DEMO_STOREFRONT_PORT || 8000)
const MEDUSA_URL = `http://localhost:${MEDUSA_PORT}`
const STOREFRONT_URL = `http://localhost:${STOREFRONT_PORT}`
const DATABASE = "medusa_demo"

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once("error", () => resolve(false))
    server.listen(port, () => server.close(() => resolve(true)))
  })
}

function run(args, env, label) {
  process.stdout.write(`${label}… `)
  const started = Date.now()
  const result = spawnSync("npx", ["medusa", ...args], { cwd: root, env, encoding: "utf8" })
  fs.appendFileSync(logFile, `\n$ medusa ${args.join(" ")}\n${result.stdout}${result.stderr}`)
  if (result.status !== 0) {
    console.log("failed")
    console.error((result.stdout + result.stderr).split("\n").slice(-40).join("\n"))
    throw new Error(`medusa ${args.join(" ")} failed (full output in ${logFile})`)
  }
  console.log(`done (${((Date.now() - started) / 1000).toFixed(1)} s)`)
}

async function waitForHealth(child, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`medusa develop exited (see ${logFile})`)
    try {
      const res = await fetch(`${MEDUSA_URL}/health`)
      if (res.ok) return
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`Medusa did not answer on :${MEDUSA_PORT} in time (see ${logFile})`)
}

async function main() {
  for (const [port, what] of [
    [MEDUSA_PORT, "Medusa (set DEMO_MEDUSA_PORT to change it)"],
    [STOREFRONT_PORT, "the reference storefront (set DEMO_STOREFRONT_PORT to change it)"],
    [PG_PORT, "the demo database (set DEMO_PG_PORT to change it)"],
  ]) {
    if (!(await portIsFree(port))) {
      throw new Error(`Port ${port} is in use; it is needed for ${what}. Stop what uses it and run again.`)
    }
  }
  fs.mkdirSync(demoDir, { recursive: true })

  const started = Date.now()
  process.stdout.write("Starting PostgreSQL… ")
  const pg = await startPostgres({ dir: path.join(demoDir, "pgdata"), port: PG_PORT, persistent: true })
  console.log("done")
  let medusa = null
  let storefront = null
  let stopping = false

  const stop = async (code = 0) => {
    if (stopping) return
    stopping = true
    console.log("\nStopping…")
    if (medusa && medusa.exitCode === null) {
      try {
        // develop starts a child server; the whole process group goes.
        process.kill(-medusa.pid, "SIGTERM")
      } catch {
        // already gone
      }
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          try {
            process.kill(-medusa.pid, "SIGKILL")
          } catch {
            // already gone
          }
          resolve()
        }, 8000)
        medusa.once("exit", () => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    if (storefront) await new Promise((resolve) => storefront.close(resolve))
    await pg.stop().catch(() => undefined)
    process.exit(code)
  }
  process.on("SIGINT", () => stop(0))
  process.on("SIGTERM", () => stop(0))

  try {
    await pg.createDatabase(DATABASE)
    const env = {
      ...process.env,
      NODE_ENV: "development",
      MEDUSA_DISABLE_TELEMETRY: "true",
      DATABASE_URL: pg.url(DATABASE),
      PORT: String(MEDUSA_PORT),
      STORE_CORS: process.env.STORE_CORS || STOREFRONT_URL,
      ADMIN_CORS: process.env.ADMIN_CORS || MEDUSA_URL,
      AUTH_CORS: process.env.AUTH_CORS || `${STOREFRONT_URL},${MEDUSA_URL}`,
      MEDUSA_BACKEND_URL: process.env.MEDUSA_BACKEND_URL || MEDUSA_URL,
    }
    run(["db:migrate"], env, "Migrating")
    run(["exec", "./demo/seed.ts"], { ...env, DEMO_DIR: demoDir, DEMO_STOREFRONT_URL: `${STOREFRONT_URL}/` }, "Seeding")
    const publishableKey = fs.readFileSync(path.join(demoDir, "publishable-key.txt"), "utf8").trim()

    process.stdout.write("Starting Medusa… ")
    const out = fs.openSync(logFile, "a")
    medusa = spawn("npx", ["medusa", "develop"], {
      cwd: root,
      env,
      detached: true,
      stdio: ["ignore", out, out],
    })
    await waitForHealth(medusa)
    console.log("done")
    storefront = await startStorefront({
      port: STOREFRONT_PORT,
      backendUrl: MEDUSA_URL,
      publishableKey,
    })
    medusa.once("exit", (code) => {
      if (!stopping) {
        console.error(`medusa develop exited with ${code}; see ${logFile}`)
        stop(1)
      }
    })

    console.log(`
  Ready in ${((Date.now() - started) / 1000).toFixed(0)} s.

  Admin            ${MEDUSA_URL}/app
                   admin@example.com / supersecret
  Storefront       ${STOREFRONT_URL}/  (reference page)
  Customers        jane@example.com / supersecret  (allows remote shopping assistance)
                   john@example.com / supersecret  (does not)
  Publishable key  ${publishableKey}

  In the admin: Customers → Jane Doe → Login as Customer.
  Medusa's log: ${path.relative(root, logFile)}.  Ctrl-C stops everything.
`)
  } catch (error) {
    console.error(error.message || error)
    await stop(1)
  }
}

main().catch((error) => {
  console.error(error.message || error)
  process.exit(1)
})
