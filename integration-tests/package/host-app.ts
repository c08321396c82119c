// The fresh Medusa apps of host-app.spec.ts: which versions, their files
// (package.json, medusa-config.ts, tsconfig.json), their database, and a small
// HTTP client.
import fs from "fs"
import net from "net"
import path from "path"
import { spawnSync, ChildProcess } from "child_process"
import { root } from "./helpers"

/**
 * The oldest Medusa the peers admit (`^2.18.0`). 2.18.0 is the first whose
 * router takes a RegExp `matcher` in defineMiddlewares, which the guard
 * against ambiguous request targets needs; 2.13.0 installs, migrates and
 * builds, then fails to register the API routes.
 */
export const FLOOR = String(require("../../package.json").peerDependencies["@medusajs/framework"]).replace(/^\^/, "")
export const BELOW_FLOOR = process.env.LAC_HOST_BELOW_FLOOR || "2.17.2"

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

export const VERSIONS = (process.env.LAC_HOST_VERSIONS || `${FLOOR},latest`)
  .split(",")
  .map((v) => (v === "latest" ? latest2x() : v))
  .filter((v, i, all) => all.indexOf(v) === i)

export function freePort(): Promise<number> {
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

export function writeApp(dir: string, version: string, tarball: string) {
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

export async function createDatabase(name: string) {
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

export function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(file, out)
    else out.push(file)
  }
  return out
}

export type Api = (
  method: string,
  url: string,
  options?: { body?: unknown; token?: string; key?: string }
) => Promise<{ status: number; data: any; headers: Headers }>

export function client(base: string): Api {
  return async (method, url, { body, token, key } = {}) => {
    const headers: Record<string, string> = { "content-type": "application/json" }
    if (token) headers.authorization = `Bearer ${token}`
    if (key) headers["x-publishable-api-key"] = key
    const res = await fetch(base + url, { method, headers, body: body ? JSON.stringify(body) : undefined })
    const data = await res.json().catch(() => null)
    return { status: res.status, data, headers: res.headers }
  }
}

export async function waitForHealth(base: string, server: ChildProcess, output: () => string) {
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
