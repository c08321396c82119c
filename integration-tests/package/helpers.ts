// Shared by the package tests: builds and packs the two packages once per
// run, runs commands, and makes fresh directories outside the repository.
import { spawn, spawnSync } from "child_process"
import fs from "fs"
import os from "os"
import path from "path"
import { recordFigures } from "../helpers/figures"

export const root = path.resolve(__dirname, "..", "..")

export type Tarballs = { plugin: string; storefront: string }

/** Where this run keeps its tarballs and apps; `scripts/test.js` sets it per run. */
export const workDir = process.env.LAC_PACKAGE_DIR || path.join(os.tmpdir(), "lac-package")

/** Runs a command to its end; rejects with the end of its output when it fails. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; log?: string; timeoutMs?: number }
): Promise<{ output: string; seconds: number }> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, MEDUSA_DISABLE_TELEMETRY: "true", NODE_OPTIONS: "", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    })
    let output = ""
    const collect = (chunk: Buffer) => {
      output += chunk.toString()
      if (options.log) fs.appendFileSync(options.log, chunk)
    }
    child.stdout.on("data", collect)
    child.stderr.on("data", collect)
    const timer = options.timeoutMs
      ? setTimeout(() => {
          output += `\n[killed after ${options.timeoutMs} ms]`
          try {
            process.kill(-child.pid!, "SIGKILL")
          } catch {
            // already gone
          }
        }, options.timeoutMs)
      : null
    child.on("close", (code) => {
      if (timer) clearTimeout(timer)
      const seconds = (Date.now() - started) / 1000
      if (code === 0) resolve({ output, seconds })
      else
        reject(
          new Error(`${command} ${args.join(" ")} exited with ${code} in ${options.cwd}:\n${output.split("\n").slice(-60).join("\n")}`)
        )
    })
  })
}

/**
 * `npm run build` (skipped when the build is newer than the sources, as in CI
 * right after its own build), then `npm pack` of the plugin and of
 * packages/storefront, all under the build lock other test runs share. Once
 * per run: a second caller reuses the tarballs.
 */
export async function packOnce(): Promise<Tarballs> {
  const dir = path.join(workDir, "tarballs")
  const done = path.join(dir, "tarballs.json")
  if (fs.existsSync(done)) return JSON.parse(fs.readFileSync(done, "utf8"))
  const log = path.join(workDir, "build.log")
  fs.mkdirSync(workDir, { recursive: true })
  const started = Date.now()
  await run("flock", ["/tmp/build.lock", process.execPath, path.join(__dirname, "pack.js"), dir], {
    cwd: root,
    log,
    timeoutMs: 15 * 60_000,
  })
  recordFigures("package-build", { build_when_stale_and_pack_s: Number(((Date.now() - started) / 1000).toFixed(1)) })
  return JSON.parse(fs.readFileSync(done, "utf8"))
}

/** The file list of a tarball (paths without the leading `package/`). */
export function tarballFiles(tarball: string): string[] {
  const list = spawnSync("tar", ["tzf", tarball], { encoding: "utf8" })
  if (list.status !== 0) throw new Error(list.stderr)
  return list.stdout
    .split("\n")
    .filter((line) => line && !line.endsWith("/"))
    .map((line) => line.replace(/^package\//, ""))
}

/** Unpacks a tarball as `node_modules/<name>` of `dir`. */
export function unpackInto(tarball: string, dir: string, name: string): string {
  const target = path.join(dir, "node_modules", name)
  fs.mkdirSync(target, { recursive: true })
  const result = spawnSync("tar", ["xzf", tarball, "-C", target, "--strip-components=1"], { encoding: "utf8" })
  if (result.status !== 0) throw new Error(result.stderr)
  return target
}

/** A new empty directory under the run's work dir. */
export function freshDir(name: string): string {
  const dir = path.join(workDir, name)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  return dir
}

/** Every package directory npm installed (nested ones included). */
export function installedPackages(dir: string): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8"))
  return Object.keys(lock.packages).filter((key) => key.startsWith("node_modules/") || key.includes("/node_modules/"))
}
