// Generates the module's migrations with `medusa plugin:db:generate`, which
// needs a live Postgres (it reads DB_* variables, not medusa-config.js).
const { spawnSync } = require("child_process")
const path = require("path")
const { startPostgres } = require("./pg")

async function main() {
  const root = path.resolve(__dirname, "..")
  const pg = await startPostgres({ dir: path.join(root, ".pgdata", `generate-${process.pid}`) })
  let status = 1
  try {
    const result = spawnSync("npx", ["medusa", "plugin:db:generate"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, ...pg.env, MEDUSA_DISABLE_TELEMETRY: "true" },
    })
    status = result.status ?? 1
  } finally {
    await pg.stop()
  }
  process.exit(status)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
