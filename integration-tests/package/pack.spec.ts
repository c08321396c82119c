// What `npm pack` ships: the plugin's tarball and the storefront package's.
// Contents (no tests, benchmarks or source maps to unshipped sources; a
// LICENSE), every export resolving with its types under `moduleResolution`
// node and bundler in strict mode, and a Next.js app (dtc-starter's
// storefront dependencies) that installs them with npm and with yarn v1
// without flags and without any Medusa server package.
import fs from "fs"
import path from "path"
import { spawnSync } from "child_process"
import { freshDir, installedPackages, packOnce, root, run, tarballFiles, Tarballs, unpackInto } from "./helpers"
import { recordFigures } from "../helpers/figures"

jest.setTimeout(20 * 60_000)

const PLUGIN = "medusa-plugin-login-as-customer"
const STOREFRONT = "medusa-plugin-login-as-customer-storefront"
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc")

/** Server packages a storefront must never get from us. */
const SERVER_PACKAGES = /^node_modules\/(@medusajs\/(medusa|framework|cli|test-utils|admin-sdk|dashboard|core-flows|utils|modules-sdk|workflows-sdk|orchestration|deps)|@mikro-orm\/|express$|pg$|jsonwebtoken$|rate-limiter-flexible$)/

const TS_OPTIONS = {
  node: { module: "commonjs", moduleResolution: "node" },
  bundler: { module: "esnext", moduleResolution: "bundler" },
  node16: { module: "node16", moduleResolution: "node16" },
} as const

function typecheck(dir: string, files: string[], resolution: keyof typeof TS_OPTIONS, extra: Record<string, unknown> = {}) {
  const config = path.join(dir, `tsconfig.${resolution}.json`)
  fs.writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        target: "es2020",
        lib: ["dom", "dom.iterable", "esnext"],
        strict: true,
        noEmit: true,
        esModuleInterop: true,
        isolatedModules: true,
        types: [],
        ...TS_OPTIONS[resolution],
        ...extra,
      },
      files,
    })
  )
  const result = spawnSync(process.execPath, [tsc, "-p", config], { cwd: dir, encoding: "utf8" })
  return { status: result.status, output: result.stdout + result.stderr }
}

const timings: Record<string, number> = {}
const sizes: Record<string, number> = {}
afterAll(() => {
  recordFigures("package-pack", { timings_s: timings, installed_packages: sizes })
})

describe("the packed packages", () => {
  let tarballs: Tarballs

  beforeAll(async () => {
    const started = Date.now()
    tarballs = await packOnce()
    timings.build_and_pack = (Date.now() - started) / 1000
  })

  it("the plugin's tarball has the build, declarations, LICENSE and README, and no tests, benchmarks or source maps", () => {
    const files = tarballFiles(tarballs.plugin)
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json"]))
    // The repo's own scripts/ stay out; the plugin's `medusa exec` scripts (src/scripts, built) are for stores to run.
    expect(files.filter((file) => /(__tests__|\.spec\.|\.test\.|(^|\/)(bench|integration-tests|e2e|demo|examples)\/|^scripts\/)/.test(file))).toEqual([])
    expect(files).toContain(".medusa/server/src/scripts/verify-login-as-customer-log.js")
    expect(files.filter((file) => /\.ts$/.test(file) && !/\.d\.m?ts$/.test(file))).toEqual([])
    expect(files.filter((file) => /\.map$/.test(file))).toEqual([])

    const dir = freshDir("contents")
    const pkgDir = unpackInto(tarballs.plugin, dir, PLUGIN)
    expect(fs.readFileSync(path.join(pkgDir, "LICENSE"), "utf8")).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} medusa-plugin-login-as-customer contributors/
    )
    const scripts = files.filter((file) => /\.(c|m)?js$/.test(file))
    const withMaps = scripts.filter((file) => fs.readFileSync(path.join(pkgDir, file), "utf8").includes("sourceMappingURL"))
    expect(withMaps).toEqual([])
    // Every compiled server file has its declaration.
    const missingTypes = scripts
      .filter((file) => file.startsWith(".medusa/server/src/") && file.endsWith(".js"))
      .filter((file) => !files.includes(file.replace(/\.js$/, ".d.ts")))
    expect(missingTypes).toEqual([])

    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"))
    // Peers are ranges, none of them forced on an install, and no test or CLI package among them.
    for (const [name, range] of Object.entries<string>(pkg.peerDependencies)) {
      expect([name, range]).toEqual([name, expect.stringMatching(/^\^\d+\.\d+\.\d+$/)])
      expect(pkg.peerDependenciesMeta[name]).toEqual({ optional: true })
    }
    expect(Object.keys(pkg.peerDependencies)).not.toEqual(
      expect.arrayContaining(["@medusajs/cli"])
    )
    expect(Object.keys(pkg.peerDependencies)).not.toEqual(expect.arrayContaining(["@medusajs/test-utils"]))
  })

  it("the storefront package ships its build, declarations and LICENSE only, with no dependencies", () => {
    const files = tarballFiles(tarballs.storefront).sort()
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "package.json", "dist/index.js", "dist/index.d.ts"]))
    expect(files.filter((file) => /(__tests__|\.spec\.|\.test\.|\.map$)/.test(file) || (/\.ts$/.test(file) && !/\.d\.ts$/.test(file)))).toEqual([])
    const dir = freshDir("contents-storefront")
    const pkgDir = unpackInto(tarballs.storefront, dir, STOREFRONT)
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"))
    const plugin = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))
    expect(pkg.version).toBe(plugin.version)
    expect(pkg.dependencies ?? {}).toEqual({})
    expect(pkg.peerDependenciesMeta["@medusajs/js-sdk"]).toEqual({ optional: true })
    expect(fs.readFileSync(path.join(pkgDir, "dist/index.js"), "utf8")).not.toContain("sourceMappingURL")
  })

  it("every export of the plugin resolves, with types under node, bundler and node16 resolution (strict)", () => {
    const dir = freshDir("consumer-plugin")
    const pkgDir = unpackInto(tarballs.plugin, dir, PLUGIN)
    // The host app's own Medusa packages, as a store has them.
    fs.symlinkSync(path.join(root, "node_modules", "@medusajs"), path.join(dir, "node_modules", "@medusajs"))
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"))

    // Each export (wildcards expanded over what the build has) resolves to a file.
    const specifiers: string[] = []
    for (const key of Object.keys(pkg.exports)) {
      if (key === "./*") continue
      if (!key.includes("*")) {
        specifiers.push(`${PLUGIN}${key.slice(1)}`)
        continue
      }
      const target = String(pkg.exports[key])
      const base = path.join(pkgDir, target.slice(0, target.indexOf("*")))
      const names = fs.existsSync(base) ? fs.readdirSync(base) : []
      for (const name of names) specifiers.push(`${PLUGIN}${key.slice(1).replace("*", name)}`)
    }
    specifiers.push(`${PLUGIN}/policies/login-as-customer`) // the "./*" export
    expect(specifiers).toEqual(
      expect.arrayContaining([`${PLUGIN}/storefront`, `${PLUGIN}/workflows`, `${PLUGIN}/types`, `${PLUGIN}/admin`, `${PLUGIN}/modules/login-as-customer`])
    )
    for (const specifier of specifiers) {
      expect([specifier, fs.existsSync(require.resolve(specifier, { paths: [dir] }))]).toEqual([specifier, true])
    }
    // The storefront helpers run from the package (they need nothing else).
    const storefront = require(require.resolve(`${PLUGIN}/storefront`, { paths: [dir] }))
    expect(storefront.readTicket("#ticket=abcdefghijklmnopqrstuvwxyz")).toBe("abcdefghijklmnopqrstuvwxyz")

    const typed = specifiers.filter((s) => !s.endsWith("/package.json"))
    fs.writeFileSync(
      path.join(dir, "consumer.ts"),
      [
        ...typed.map((s, i) => `import * as export${i} from "${s}"`),
        `import admin from "${PLUGIN}/admin"`,
        `import { readTicket, bannerText, type StoreImpersonationSession } from "${PLUGIN}/storefront"`,
        `import { LOG_ACTIONS } from "${PLUGIN}/types"`,
        `const ticket: string | null = readTicket("#ticket=x")`,
        `const banner = (s: StoreImpersonationSession): string => bannerText(s)`,
        `const actions: readonly string[] = LOG_ACTIONS`,
        `export const all = [${typed.map((_, i) => `export${i}`).join(", ")}, admin, ticket, banner, actions]`,
        "",
      ].join("\n")
    )
    for (const resolution of ["node", "bundler", "node16"] as const) {
      // skipLibCheck as Medusa's and Next's starters set it: Medusa's own declarations are not ours to check.
      const { status, output } = typecheck(dir, ["consumer.ts"], resolution, { skipLibCheck: true, types: ["node"], typeRoots: [path.join(root, "node_modules", "@types")] })
      expect([resolution, output.trim()]).toEqual([resolution, ""])
      expect(status).toBe(0)
    }
  })

  it("a Next.js storefront installs the storefront package with npm and yarn v1, without flags or server packages, and types it under node, bundler and node16 resolution (strict)", async () => {
    const app = freshDir("storefront-npm")
    // dtc-starter's storefront (apps/storefront) dependencies that matter here.
    const manifest = {
      name: "storefront",
      private: true,
      dependencies: {
        "@medusajs/icons": "2.18.0",
        "@medusajs/js-sdk": "2.18.0",
        next: "15.5.21",
        react: "19.0.5",
        "react-dom": "19.0.5",
      },
      // The js-sdk's declarations import @medusajs/types, which the starter lists itself.
      devDependencies: { "@medusajs/types": "2.18.0" },
    }
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify(manifest, null, 2))
    const npmArgs = ["--no-audit", "--no-fund", "--prefer-offline"]
    timings.storefront_npm_base = (await run("npm", ["install", ...npmArgs], { cwd: app })).seconds
    const before = installedPackages(app)

    const added = await run("npm", ["install", ...npmArgs, tarballs.storefront], { cwd: app })
    timings.storefront_npm_add = added.seconds
    expect(added.output).not.toMatch(/ERESOLVE|peer dep/i)
    const after = installedPackages(app)
    expect(after.filter((p) => !before.includes(p))).toEqual([`node_modules/${STOREFRONT}`])
    expect(after.filter((p) => SERVER_PACKAGES.test(p))).toEqual([])
    sizes.storefront_before = before.length
    sizes.storefront_with_storefront_package = after.length

    fs.mkdirSync(path.join(app, "src"))
    fs.writeFileSync(
      path.join(app, "src", "assist.ts"),
      `import Medusa from "@medusajs/js-sdk"
import {
  readTicket, exchangeTicket, getImpersonation, endImpersonation, bannerText, getRemoteAssistance,
  setRemoteAssistance, watchImpersonationEnd, onImpersonationEnded, isImpersonationEnded,
  isImpersonationToken, IMPERSONATION_ENDED, type StoreImpersonationSession, type StoreRemoteAssistanceResponse,
} from "${STOREFRONT}"

const sdk = new Medusa({ baseUrl: "http://localhost:9000", publishableKey: "pk_test", auth: { type: "jwt" } })

export async function assist(hash: string): Promise<string | null> {
  const ticket: string | null = readTicket(hash)
  if (!ticket) return null
  const { token, session } = await exchangeTicket(sdk, ticket)
  const current: StoreImpersonationSession | null = await getImpersonation(sdk)
  const history: StoreRemoteAssistanceResponse = await getRemoteAssistance(sdk, { limit: 5 })
  await setRemoteAssistance(sdk, { allowed: history.remote_assistance.allowed })
  const stop: () => void = onImpersonationEnded(sdk, { onEnded: () => undefined })
  const storeFetch: typeof fetch = watchImpersonationEnd(fetch, { onEnded: (e) => { if (e.code !== IMPERSONATION_ENDED) throw new Error(e.code) } })
  stop()
  void storeFetch
  const ended: boolean = isImpersonationEnded(401, { code: IMPERSONATION_ENDED }) && isImpersonationToken(token)
  await endImpersonation(sdk)
  return ended ? null : bannerText(current ?? session)
}
`
    )
    // The Next.js adapter's four entry points.
    fs.writeFileSync(
      path.join(app, "src", "next.ts"),
      `import Medusa from "@medusajs/js-sdk"
import { exchangeAssistTicket, endAssistedSession, getAssistedSession, fetchRemoteAssistance, updateRemoteAssistance, AssistBanner, type ExchangeResult } from "${STOREFRONT}/next"
import { checkAssistedSession } from "${STOREFRONT}/next/middleware"
import { noStoreWhenAssisted, assistedFetchInit } from "${STOREFRONT}/next/fetch"
import { AssistTicketLogin, RemoteAssistanceSection } from "${STOREFRONT}/next/client"

export const unhook: () => void = noStoreWhenAssisted(new Medusa({ baseUrl: "http://localhost:9000" }))
export const init: RequestInit = assistedFetchInit({ cache: "force-cache" as RequestCache })
export async function all(request: Request): Promise<string> {
  const ended: Response | null = await checkAssistedSession(request)
  const result: ExchangeResult = await exchangeAssistTicket("ticket")
  const code: string = result.ok ? "ok" : result.code
  const { ended: over }: { ended: boolean } = await endAssistedSession({ redirectTo: "/" })
  const session = await getAssistedSession()
  const history = await fetchRemoteAssistance({ limit: 10 })
  const consent = await updateRemoteAssistance({ allowed: true })
  void [AssistBanner, AssistTicketLogin, RemoteAssistanceSection, session, history, consent, over, ended]
  return code
}
`
    )
    for (const resolution of ["node", "bundler", "node16"] as const) {
      // skipLibCheck as in Next's and the starters' tsconfig (the js-sdk's own declarations need Node's types).
      const { status, output } = typecheck(app, ["src/assist.ts", "src/next.ts"], resolution, { skipLibCheck: true })
      expect([resolution, output.trim()]).toEqual([resolution, ""])
      expect(status).toBe(0)
    }

    // The plugin itself, installed into the storefront by an older guide, no longer drags Medusa in.
    const plugin = await run("npm", ["install", ...npmArgs, tarballs.plugin], { cwd: app })
    timings.storefront_npm_add_plugin = plugin.seconds
    expect(plugin.output).not.toMatch(/ERESOLVE/)
    const withPlugin = installedPackages(app)
    expect(withPlugin.filter((p) => /^node_modules\/@medusajs\/(medusa|framework|cli|test-utils|admin-sdk|dashboard)$/.test(p))).toEqual([])
    sizes.storefront_with_plugin_package = withPlugin.length

    // yarn v1, from the registry: `yarn add` of the tarball.
    const yarnApp = freshDir("storefront-yarn")
    fs.writeFileSync(path.join(yarnApp, "package.json"), JSON.stringify(manifest, null, 2))
    const yarn = ["--yes", "yarn@1", "--non-interactive", "--no-progress"]
    const yarnAdd = await run("npx", [...yarn, "add", `file:${tarballs.storefront}`], { cwd: yarnApp })
    timings.storefront_yarn_add = yarnAdd.seconds
    expect(yarnAdd.output).not.toMatch(/(error|unmet peer)/i)
    expect(fs.existsSync(path.join(yarnApp, "node_modules", STOREFRONT, "dist", "index.d.ts"))).toBe(true)
    expect(fs.existsSync(path.join(yarnApp, "node_modules", "@medusajs", "framework"))).toBe(false)
    fs.mkdirSync(path.join(yarnApp, "src"))
    fs.copyFileSync(path.join(app, "src", "assist.ts"), path.join(yarnApp, "src", "assist.ts"))
    const { status, output } = typecheck(yarnApp, ["src/assist.ts"], "bundler", { skipLibCheck: true })
    expect(output.trim()).toBe("")
    expect(status).toBe(0)
  })
})
