// `npm test`: every jest project (unit, modules, http) against a real
// PostgreSQL started by the global setup, then the process suites (faults,
// several instances on Redis, mixed load), then the browser tests (e2e/run.js).
// `npm test -- <project>` runs one project (unit, modules, http, package,
// processes or e2e); `npm test -- http integration-tests/http/sessions` one
// HTTP group (one Medusa for every suite of the directory), `-t "<suite> <test>"`
// one test of it. `package` builds and packs the plugin and the storefront
// package and installs them into fresh apps (LAC_HOST_VERSIONS, default
// "<floor>,latest", picks the Medusa versions). Beside other jest projects
// (plain `npm test`), `package` runs in a jest process of its own at the same
// time as those (its own Postgres and ports; it mostly waits on npm and the
// disk), at a lower CPU priority, and its output is printed after theirs.
// The process suites stay after them: their load test counts what two servers
// get through in 12 s.
const { spawn, spawnSync } = require("child_process")
const fs = require("fs")
const path = require("path")

const root = path.resolve(__dirname, "..")
const args = process.argv.slice(2)
const projects = []
const rest = []
for (const arg of args) {
  if (["unit", "modules", "http", "package", "processes", "e2e"].includes(arg)) projects.push(arg)
  else rest.push(arg)
}

const env = {
  ...process.env,
  // The package tests build and pack once per run, into a fresh directory.
  ...((projects.length === 0 || projects.includes("package")) && !process.env.LAC_PACKAGE_DIR
    ? { LAC_PACKAGE_DIR: fs.mkdtempSync(path.join(require("os").tmpdir(), "lac-package-")), LAC_PACKAGE_DIR_OWNED: "true" }
    : {}),
  NODE_ENV: "test",
  LOG_LEVEL: process.env.LOG_LEVEL || "error",
  MEDUSA_DISABLE_TELEMETRY: "true",
  // Every HTTP group spec (integration-tests/http/**/*.spec.ts, each running
  // the *.suite.ts files beside it) boots a whole Medusa in the one jest
  // process: together they outgrow Node's default 4 GB heap.
  NODE_OPTIONS: [process.env.NODE_OPTIONS, "--experimental-vm-modules", "--max-old-space-size=8192"].filter(Boolean).join(" "),
}

const jestProjects = projects.filter((p) => p !== "e2e" && p !== "processes")
const runJest = projects.length === 0 || jestProjects.length > 0
const runProcesses = projects.includes("processes") || (projects.length === 0 && rest.length === 0)
const runE2e = projects.includes("e2e") || (projects.length === 0 && rest.length === 0)
const selectedJest = projects.length === 0 ? ["unit", "modules", "http", "package"] : jestProjects
// `package` beside the other jest projects when those run too (and no filter
// arguments, which are meant for one jest run).
const othersHere = selectedJest.filter((p) => p !== "package")
const packageBeside = rest.length === 0 && othersHere.length > 0 && selectedJest.includes("package")

const jestProjectsHere = packageBeside ? othersHere : jestProjects
// The HTTP groups in two jest workers when all of them run (each boots its own
// Medusa on a database named after it; while one waits on its database or a
// timer the other runs). LAC_JEST_WORKERS sets the number; one runs in band.
const wholeHttp = rest.length === 0 && (projects.length === 0 || jestProjects.includes("http"))
const workers = Number(process.env.LAC_JEST_WORKERS || (wholeHttp ? 2 : 1))
const jestArgs = [
  require.resolve("jest/bin/jest"),
  ...(workers > 1 ? [`--maxWorkers=${workers}`] : ["--runInBand"]),
  "--forceExit",
  ...rest,
  // Last: --selectProjects takes every argument after it as a project name.
  ...(jestProjectsHere.length ? ["--selectProjects", ...jestProjectsHere] : []),
]

/**
 * The process suites need Debian's redis-server and the browser tests its
 * Chromium. On a fresh Debian machine run as root they are installed here,
 * so `npm test` is all it takes; elsewhere the suites say what is missing.
 */
function ensureDebianPackages(wanted) {
  const missing = wanted.filter(([binary]) => !fs.existsSync(binary)).map(([, pkg]) => pkg)
  if (!missing.length || process.getuid?.() !== 0 || !fs.existsSync("/usr/bin/apt-get")) {
    return
  }
  console.log(`Installing ${missing.join(", ")} from Debian's packages (apt-get)…`)
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
  const install = () =>
    spawnSync("apt-get", ["install", "-y", "--no-install-recommends", ...missing], { stdio: "inherit", env: aptEnv }).status
  if (install() !== 0) {
    spawnSync("apt-get", ["update"], { stdio: "inherit", env: aptEnv })
    install()
  }
}

ensureDebianPackages([
  ...(runProcesses ? [["/usr/bin/redis-server", "redis-server"]] : []),
  ...(runE2e && !process.env.CHROMIUM_PATH ? [["/usr/bin/chromium", "chromium"]] : []),
  // Thai glyphs (the settings test measures every language's sidebar labels; without a
  // Thai font Chromium draws wide boxes and the labels wrap).
  ...(runE2e ? [["/usr/share/fonts/opentype/tlwg/Loma.otf", "fonts-tlwg-loma-otf"]] : []),
])

/** Runs a command to its end, without blocking this process; resolves with its exit status. */
function run(args, { env: runEnv = env, output, nice = 0 } = {}) {
  const fd = output ? fs.openSync(output, "w") : null
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: fd === null ? "inherit" : ["ignore", fd, fd],
    env: { ...runEnv, ...(fd !== null && process.stdout.isTTY ? { FORCE_COLOR: "1" } : {}) },
  })
  if (fd !== null) fs.closeSync(fd)
  if (nice) {
    // Its npm and Medusa children inherit it.
    try {
      require("os").setPriority(child.pid, nice)
    } catch {
      // not allowed here: the same priority then
    }
  }
  const stop = () => child.exitCode === null && child.kill("SIGTERM")
  process.on("exit", stop)
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      process.off("exit", stop)
      resolve(signal ? 1 : code ?? 1)
    })
  )
}

const jestBin = require.resolve("jest/bin/jest")

async function main() {
  let status = 0
  // `package` beside the others: its output to a file, printed once they are
  // done; a lower CPU priority (the run waits on the others anyway).
  const packageOutput = packageBeside ? path.join(fs.mkdtempSync(path.join(require("os").tmpdir(), "lac-test-")), "package.log") : null
  const packageRun = packageOutput
    ? run([jestBin, "--runInBand", "--forceExit", "--selectProjects", "package"], { output: packageOutput, nice: 10 })
    : null
  if (packageRun) console.log("The package tests run beside the others; their output follows theirs.")
  if (runJest) {
    status = await run([...jestArgs])
  }
  if (packageRun) {
    const packageStatus = await packageRun
    console.log(`\n== package (ran beside the others), exit ${packageStatus}\n`)
    process.stdout.write(fs.readFileSync(packageOutput, "utf8"))
    fs.rmSync(path.dirname(packageOutput), { recursive: true, force: true })
    status = status || packageStatus
  }
  if (status === 0 && runProcesses) {
    status = await run([jestBin, "--runInBand", "--forceExit", "--selectProjects", "processes"], {
      env: { ...env, LAC_PROCESSES: "true" },
    })
  }
  if (status === 0 && runE2e) {
    const { MEDUSA_DISABLE_TELEMETRY, NODE_OPTIONS } = env
    status = await run([path.join(root, "e2e", "run.js"), ...(projects.includes("e2e") ? rest : [])], {
      env: { ...process.env, MEDUSA_DISABLE_TELEMETRY, NODE_OPTIONS },
    })
  }
  return status
}

main().then((status) => {
  // The package tests' tarballs and Medusa apps (hundreds of MB each), removed
  // in the background: the run's result doesn't wait for the disk.
  if (env.LAC_PACKAGE_DIR_OWNED) {
    spawn("rm", ["-rf", env.LAC_PACKAGE_DIR], { detached: true, stdio: "ignore" }).unref()
  }
  process.exit(status)
})
