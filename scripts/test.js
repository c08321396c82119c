// `npm test`: every jest project (unit, modules, http) against a real
// PostgreSQL started by the global setup. `npm test -- <project>` runs one.
const { spawnSync } = require("child_process")
const path = require("path")

const root = path.resolve(__dirname, "..")
const args = process.argv.slice(2)
const projects = []
const rest = []
for (const arg of args) {
  if (["unit", "modules", "http"].includes(arg)) projects.push(arg)
  else rest.push(arg)
}

const jestArgs = [
  require.resolve("jest/bin/jest"),
  "--runInBand",
  "--forceExit",
  ...rest,
  // Last: --selectProjects takes every argument after it as a project name.
  ...(projects.length ? ["--selectProjects", ...projects] : []),
]

const result = spawnSync(process.execPath, jestArgs, {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "test",
    LOG_LEVEL: process.env.LOG_LEVEL || "error",
    MEDUSA_DISABLE_TELEMETRY: "true",
    NODE_OPTIONS: [process.env.NODE_OPTIONS, "--experimental-vm-modules"].filter(Boolean).join(" "),
  },
})
process.exit(result.status ?? 1)
