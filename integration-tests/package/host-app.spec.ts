// The plugin as a store installs it: a fresh Medusa app (its own package.json,
// medusa-config.ts and tsconfig.json, nothing of this repository but the
// packed tarball) at the oldest Medusa the peers admit and at the newest 2.x.
// One `npm install` per version; `medusa db:migrate`; `medusa build` (the
// admin bundle must carry the plugin's widgets); `medusa start` from the build
// output; then the whole path over HTTP: consent → start → exchange → store
// read → end → log.
import fs from "fs"
import net from "net"
import path from "path"
import { spawn, spawnSync, ChildProcess } from "child_process"
import { packOnce, run, freshDir, workDir, root } from "./helpers"
import { recordFigures } from "../helpers/figures"

jest.setTimeout(30 * 60_000)

/**
 * The oldest Medusa the peers admit (`^2.18.0`). 2.18.0 is the first whose
 * router takes a RegExp `matcher` in defineMiddlewares, which the guard
 * against ambiguous request targets needs; 2.13.0 installs, migrates and
 * builds, then fails to register the API routes.
 */
const FLOOR = String(require("../../package.json").peerDependencies["@medusajs/framework"]).replace(/^\^/, "")
const BELOW_FLOOR = process.env.LAC_HOST_BELOW_FLOOR || "2.17.2"

/** The newest 2.x on the registry (LAC_HOST_LATEST overrides it). */
function latest2x(): string {
  if (process.env.LAC_HOST_LATEST) return process.env.LAC_HOST_LATEST
  const result = spawnSync("npm", ["view", "@medusajs/medusa@^2", "version", "--json"], { encoding: "utf8" })
  const parsed = JSON.parse(result.stdout)
  const found: string[] = Array.isArray(parsed) ? parsed : [parsed]
  const parts = (v: string) => v.split(".").map(Number)
  return found
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v))
    .sort((a, b) => {
      const [x, y] = [parts(a), parts(b)]
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]
    })
    .pop()!
}

const VERSIONS = (process.env.LAC_HOST_VERSIONS || `${FLOOR},latest`)
  .split(",")
  .map((v) => (v === "latest" ? latest2x() : v))
  .filter((v, i, all) => all.indexOf(v) === i)

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** The versions a merchant's app pins next to @medusajs/medusa: its dashboard's. */
function companions(version: string): { ui: string; router: string; query: string } {
  const result = spawnSync("npm", ["view", `@medusajs/dashboard@${version}`, "dependencies", "--json"], {
    encoding: "utf8",
  })
  const deps = JSON.parse(result.stdout)
  return { ui: deps["@medusajs/ui"], router: deps["react-router-dom"], query: deps["@tanstack/react-query"] }
}

function writeApp(dir: string, version: string, tarball: string) {
  const { ui, router, query } = companions(version)
  const pkg = {
    name: `store-on-medusa-${version.replace(/\./g, "-")}`,
    version: "0.0.1",
    private: true,
    scripts: { build: "medusa build", start: "medusa start" },
    dependencies: {
      "@medusajs/admin-sdk": version,
      "@medusajs/cli": version,
      "@medusajs/dashboard": version,
      "@medusajs/draft-order": version,
      "@medusajs/framework": version,
      "@medusajs/medusa": version,
      "@medusajs/ui": ui,
      "@tanstack/react-query": query,
      "medusa-plugin-login-as-customer": `file:${tarball}`,
      react: "^18.3.1",
      "react-dom": "^18.3.1",
      "react-router-dom": router,
    },
    devDependencies: {
      "@swc/core": "1.16.22",
      "@types/node": "20.19.25",
      "ts-node": "10.9.2",
      typescript: "5.6.3",
    },
    engines: { node: ">=20" },
  }
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2))
  fs.writeFileSync(
    path.join(dir, "medusa-config.ts"),
    `import { loadEnv, defineConfig } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS!,
      adminCors: process.env.ADMIN_CORS!,
      authCors: process.env.AUTH_CORS!,
      jwtSecret: process.env.JWT_SECRET,
      cookieSecret: process.env.COOKIE_SECRET,
    },
  },
  plugins: [
    {
      resolve: "medusa-plugin-login-as-customer",
      options: {
        enabled: true,
        storefronts: [{ id: "web", name: "Web store", login_url: "http://localhost:8000/assist" }],
      },
    },
  ],
})
`
  )
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2021",
          esModuleInterop: true,
          module: "Node16",
          moduleResolution: "Node16",
          emitDecoratorMetadata: true,
          experimentalDecorators: true,
          skipLibCheck: true,
          skipDefaultLibCheck: true,
          declaration: false,
          sourceMap: false,
          inlineSourceMap: true,
          outDir: "./.medusa/server",
          rootDir: "./",
          jsx: "react-jsx",
          forceConsistentCasingInFileNames: true,
          resolveJsonModule: true,
          checkJs: false,
          strictNullChecks: true,
        },
        "ts-node": { swc: true },
        include: ["**/*", ".medusa/types/*"],
        exclude: ["node_modules", ".medusa/server", ".medusa/admin", ".cache"],
      },
      null,
      2
    )
  )
}

async function createDatabase(name: string) {
  const { Client } = require(require.resolve("pg", { paths: [root] }))
  const client = new Client({
    host: "localhost",
    port: Number(process.env.DB_PORT),
    user: process.env.DB_USERNAME,
    password: process.env.DB_PASSWORD,
    database: "postgres",
  })
  await client.connect()
  try {
    await client.query(`drop database if exists "${name}"`)
    await client.query(`create database "${name}"`)
  } finally {
    await client.end()
  }
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(file, out)
    else out.push(file)
  }
  return out
}

type Api = (
  method: string,
  url: string,
  options?: { body?: unknown; token?: string; key?: string }
) => Promise<{ status: number; data: any; headers: Headers }>

function client(base: string): Api {
  return async (method, url, { body, token, key } = {}) => {
    const headers: Record<string, string> = { "content-type": "application/json" }
    if (token) headers.authorization = `Bearer ${token}`
    if (key) headers["x-publishable-api-key"] = key
    const res = await fetch(base + url, { method, headers, body: body ? JSON.stringify(body) : undefined })
    const data = await res.json().catch(() => null)
    return { status: res.status, data, headers: res.headers }
  }
}

async function waitForHealth(base: string, server: ChildProcess, output: () => string) {
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`medusa start exited with ${server.exitCode}:\n${output().slice(-4000)}`)
    const ok = await fetch(`${base}/health`).then(
      (res) => res.ok,
      () => false
    )
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`medusa start did not answer in 180 s:\n${output().slice(-4000)}`)
}

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
