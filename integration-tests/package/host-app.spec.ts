// The plugin as a store installs it: a fresh Medusa app (its own package.json,
// medusa-config.ts and tsconfig.json, nothing of this repository but the
// packed tarball) at the oldest Medusa the peers admit and at the newest 2.x.
// One `npm install` per version; `medusa db:migrate`; `medusa build` (the
// admin bundle must carry the plugin's widgets); `medusa start` from the build
// output; then the whole path over HTTP: consent → start → exchange → store
// read → end → log. The apps' files and the HTTP helpers are in host-app.ts.
import fs from "fs"
import path from "path"
import { spawn, ChildProcess } from "child_process"
import { packOnce, run, freshDir, workDir } from "./helpers"
import { recordFigures } from "../helpers/figures"
import { BELOW_FLOOR, VERSIONS, client, createDatabase, freePort, waitForHealth, walk, writeApp } from "./host-app"

jest.setTimeout(30 * 60_000)

const timings: Record<string, Record<string, number>> = {}

afterAll(() => {
  recordFigures("package-host-app", { timings_s: timings })
})

describe("a Medusa app older than the peers admit", () => {
  it(`is refused by npm (ERESOLVE naming the plugin) on ${BELOW_FLOOR}`, async () => {
    const tarballs = await packOnce()
    const dir = freshDir(`host-${BELOW_FLOOR}`)
    writeApp(dir, BELOW_FLOOR, tarballs.plugin)
    const failure = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--dry-run"], {
      cwd: dir,
      timeoutMs: 5 * 60_000,
    }).then(
      () => "",
      (error: Error) => error.message
    )
    expect(failure).toMatch(/ERESOLVE/)
    expect(failure).toMatch(/medusa-plugin-login-as-customer/)
    fs.rmSync(dir, { recursive: true, force: true })
  })
})

describe.each(VERSIONS)("a fresh Medusa %s app with the packed plugin", (version) => {
  let dir: string
  let server: ChildProcess | null = null
  let serverOutput = ""
  let base = ""
  const secrets = { JWT_SECRET: "host-app-jwt-secret", COOKIE_SECRET: "host-app-cookie-secret" }

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once("exit", resolve))
      process.kill(-server.pid!, "SIGTERM")
      const timer = setTimeout(() => {
        try {
          process.kill(-server!.pid!, "SIGKILL")
        } catch {
          // gone
        }
      }, 10_000)
      await exited
      clearTimeout(timer)
    }
  })

  it("installs, migrates, builds its admin with the widgets, starts and runs the whole flow", async () => {
    const took: Record<string, number> = (timings[version] = {})
    const started = Date.now()
    const tarballs = await packOnce()
    took.pack = (Date.now() - started) / 1000

    dir = freshDir(`host-${version}`)
    const log = path.join(workDir, `host-${version}.log`)
    fs.writeFileSync(log, "")
    writeApp(dir, version, tarballs.plugin)

    const install = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], {
      cwd: dir,
      log,
      timeoutMs: 15 * 60_000,
    })
    took.install = install.seconds
    expect(install.output).not.toMatch(/ERESOLVE/)
    // The admin-only and test packages are not pulled in by the plugin.
    expect(fs.existsSync(path.join(dir, "node_modules", "@medusajs", "test-utils"))).toBe(false)
    expect(require(path.join(dir, "node_modules", "@medusajs", "medusa", "package.json")).version).toBe(version)

    const database = `lac_host_${version.replace(/\W/g, "_")}`
    await createDatabase(database)
    const port = await freePort()
    base = `http://localhost:${port}`
    const env = {
      ...secrets,
      DATABASE_URL: `postgres://${process.env.DB_USERNAME}:${process.env.DB_PASSWORD}@localhost:${process.env.DB_PORT}/${database}`,
      STORE_CORS: "http://localhost:8000",
      ADMIN_CORS: base,
      AUTH_CORS: `http://localhost:8000,${base}`,
      PORT: String(port),
      NODE_ENV: "production",
      LOG_LEVEL: "info",
    }
    const medusa = path.join(dir, "node_modules", ".bin", "medusa")

    const migrate = await run(medusa, ["db:migrate"], { cwd: dir, env, log, timeoutMs: 10 * 60_000 })
    took.migrate = migrate.seconds
    const user = await run(medusa, ["user", "-e", "admin@example.com", "-p", "supersecret"], { cwd: dir, env, log })
    took.user = user.seconds

    const build = await run(medusa, ["build"], { cwd: dir, env, log, timeoutMs: 15 * 60_000 })
    took.build = build.seconds
    const output = path.join(dir, ".medusa", "server")
    const assets = walk(path.join(output, "public", "admin")).filter((file) => file.endsWith(".js"))
    const bundle = assets.map((file) => fs.readFileSync(file, "utf8")).join("\n")
    // The plugin's widgets and settings page call its admin API.
    expect(bundle).toContain("/admin/login-as-customer")
    expect(bundle).toContain("/admin/customers/${")

    // `medusa start` from the build output, as in production; the app's
    // node_modules stand in for the `npm install` a deploy runs there.
    fs.symlinkSync(path.join(dir, "node_modules"), path.join(output, "node_modules"))
    const startedServer = Date.now()
    server = spawn(medusa, ["start"], {
      cwd: output,
      env: { ...process.env, MEDUSA_DISABLE_TELEMETRY: "true", NODE_OPTIONS: "", ...env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    })
    server.stdout!.on("data", (chunk) => {
      serverOutput += chunk
      fs.appendFileSync(log, chunk)
    })
    server.stderr!.on("data", (chunk) => {
      serverOutput += chunk
      fs.appendFileSync(log, chunk)
    })
    await waitForHealth(base, server, () => serverOutput)
    took.start = (Date.now() - startedServer) / 1000

    const flowStarted = Date.now()
    const api = client(base)
    const adminPage = await fetch(`${base}/app`)
    expect(adminPage.status).toBe(200)

    const admin = (await api("POST", "/auth/user/emailpass", {
      body: { email: "admin@example.com", password: "supersecret" },
    })).data.token
    expect(admin).toEqual(expect.any(String))
    const key = (await api("POST", "/admin/api-keys", { token: admin, body: { title: "Web", type: "publishable" } }))
      .data.api_key.token

    // A customer signs up on the storefront and allows assistance.
    const email = "jane@example.com"
    const registration = (await api("POST", "/auth/customer/emailpass/register", { body: { email, password: "supersecret" } }))
      .data.token
    const created = await api("POST", "/store/customers", {
      key,
      token: registration,
      body: { email, first_name: "Jane", last_name: "Doe" },
    })
    expect(created.status).toBe(200)
    const customerId = created.data.customer.id
    const customerToken = (await api("POST", "/auth/customer/emailpass", { body: { email, password: "supersecret" } })).data
      .token
    const consent = await api("POST", "/store/customers/me/remote-assistance", {
      key,
      token: customerToken,
      body: { allowed: true },
    })
    expect(consent.status).toBe(200)
    expect(consent.data.remote_assistance).toMatchObject({ allowed: true, active: true })

    // The admin starts; the storefront trades the ticket; the store reads as Jane.
    const start = await api("POST", `/admin/customers/${customerId}/login-as-customer`, {
      token: admin,
      body: { reason: "Host app check" },
    })
    expect(start.status).toBe(201)
    const ticket = new URLSearchParams(new URL(start.data.redirect_url).hash.slice(1)).get("ticket")
    expect(start.data.redirect_url).toMatch(/^http:\/\/localhost:8000\/assist#ticket=/)

    const exchange = await api("POST", "/store/login-as-customer/sessions", { key, body: { ticket } })
    expect(exchange.status).toBe(201)
    const token = exchange.data.token
    const sessionId = exchange.data.session.id

    const me = await api("GET", "/store/customers/me", { key, token })
    expect(me.status).toBe(200)
    expect(me.data.customer.email).toBe(email)
    expect(me.headers.get("cache-control")).toContain("no-store")
    const banner = await api("GET", "/store/login-as-customer/session", { key, token })
    expect(banner.data.session).toMatchObject({ id: sessionId, customer: { email } })

    // The banner's End; the token is refused after it.
    const ended = await api("DELETE", "/store/login-as-customer/session", { key, token })
    expect(ended.status).toBe(200)
    expect(ended.data.session.end_reason).toBe("logout")
    const after = await api("GET", "/store/customers/me", { key, token })
    expect(after.status).toBe(401)
    expect(after.data.code).toBe("impersonation_ended")

    // The log has the session's start and end.
    const logPage = await api("GET", `/admin/login-as-customer/log?session_id=${sessionId}&limit=50`, { token: admin })
    expect(logPage.status).toBe(200)
    const actions = logPage.data.log_entries.map((entry: { action: string }) => entry.action)
    expect(actions).toEqual(expect.arrayContaining(["ticket_issued", "session_started", "session_ended"]))
    took.flow = (Date.now() - flowStarted) / 1000
    took.total = (Date.now() - started) / 1000

    expect(serverOutput).not.toMatch(/Error: Cannot find module/)
  })
})
