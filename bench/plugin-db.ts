// A fresh database on a real PostgreSQL (scripts/pg.js) with the plugin's
// migrations applied, for the benchmarks that need only the plugin's tables.
import fs from "fs"
import path from "path"

const MIGRATIONS = path.resolve(__dirname, "../src/modules/login-as-customer/migrations")

export type PluginDatabase = {
  knex: any
  /** Closes the pool and stops PostgreSQL. */
  stop: () => Promise<void>
}

export async function openPluginDatabase(name: string, { poolMax = 4 } = {}): Promise<PluginDatabase> {
  const { startPostgres } = require("../scripts/pg.js")
  const db = await startPostgres({ dir: path.resolve(__dirname, `../.pgdata/bench-${name}`), fast: false })
  const admin = require("knex")({ client: "pg", connection: db.url("postgres") })
  // A run stopped midway leaves its database in the data directory.
  await admin.raw(`drop database if exists "${name}"`)
  await admin.raw(`create database "${name}"`)
  await admin.destroy()
  const knex = require("knex")({ client: "pg", connection: db.url(name), pool: { min: 1, max: poolMax } })
  const stop = async () => {
    await knex.destroy()
    await db.stop()
  }
  try {
    for (const file of fs.readdirSync(MIGRATIONS).filter((f) => /^Migration\d+\.ts$/.test(f)).sort()) {
      const mod = require(path.join(MIGRATIONS, file))
      const Migration = Object.values(mod)[0] as { prototype: { up: () => Promise<void> } }
      const statements: string[] = []
      await Migration.prototype.up.call({ addSql: (sql: string) => statements.push(sql) })
      for (const statement of statements) await knex.raw(statement)
    }
  } catch (error) {
    await stop()
    throw error
  }
  return { knex, stop }
}
