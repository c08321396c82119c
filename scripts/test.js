// `npm test`: every jest project (unit, modules, http) against a real
// PostgreSQL started by the global setup, then the browser tests (e2e/run.js).
// `npm test -- <project>` runs one project (unit, modules, http or e2e).
const { spawnSync } = require("child_process")
const path = require("path")

const root = path.resolve(__dirname, "..")
const args = process.argv.slice(2)
const projects = []
const rest = []
for (const arg of args) {
  if (["unit", "modules", "http", "e2e"].includes(arg)) projects.push(arg)
  else rest.push(arg)
}

const env = {
  ...process.env,
  NODE_ENV: "test",
  LOG_LEVEL: process.env.LOG_LEVEL || "error",
  MEDUSA_DISABLE_TELEMETRY: "true",
  NODE_OPTIONS: [process.env.NODE_OPTIONS, "--experimental-vm-modules"].filter(Boolean).join(" "),
}

const jestProjects = projects.filter((p) => p !== "e2e")
const runJest = projects.length === 0 || jestProjects.length > 0
const runE2e = projects.includes("e2e") || (projects.length === 0 && rest.length === 0)

const jestArgs = [
  require.resolve("jest/bin/jest"),
  "--runInBand",
  "--forceExit",
  ...rest,
  // Last: --selectProjects takes every argument after it as a project name.
  ...(jestProjects.length ? ["--selectProjects", ...jestProjects] : []),
]

let status = 0
if (runJest) {
  status = spawnSync(process.execPath, jestArgs, { cwd: root, stdio: "inherit", env }).status ?? 1
}
if (status === 0 && runE2e) {
  const { MEDUSA_DISABLE_TELEMETRY, NODE_OPTIONS } = env
  status =
    spawnSync(process.execPath, [path.join(root, "e2e", "run.js")], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, MEDUSA_DISABLE_TELEMETRY, NODE_OPTIONS },
    }).status ?? 1
}
process.exit(status)
