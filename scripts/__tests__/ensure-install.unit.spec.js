// scripts/ensure-install.js, run as npm runs it before `npm run demo` and
// `npm test`, in a copy of the project with an `npm` on PATH that records
// what it was asked to do (the real `npm ci` would take minutes).
const { spawnSync } = require("child_process")
const fs = require("fs")
const os = require("os")
const path = require("path")

const root = path.resolve(__dirname, "../..")

/** A project directory with this repo's lock files (or the given ones) and the script. */
function project({ lock, installed } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lac-ensure-install-"))
  fs.mkdirSync(path.join(dir, "scripts"))
  fs.copyFileSync(path.join(root, "scripts", "ensure-install.js"), path.join(dir, "scripts", "ensure-install.js"))
  const lockText = lock ? JSON.stringify(lock) : fs.readFileSync(path.join(root, "package-lock.json"), "utf8")
  fs.writeFileSync(path.join(dir, "package-lock.json"), lockText)
  if (installed !== null) {
    fs.mkdirSync(path.join(dir, "node_modules"))
    const installedText = installed
      ? JSON.stringify(installed)
      : fs.readFileSync(path.join(root, "node_modules", ".package-lock.json"), "utf8")
    fs.writeFileSync(path.join(dir, "node_modules", ".package-lock.json"), installedText)
  }
  const bin = path.join(dir, "bin")
  fs.mkdirSync(bin)
  fs.writeFileSync(path.join(bin, "npm"), `#!/bin/sh\necho "$@" >> "${path.join(dir, "npm-calls")}"\n`, { mode: 0o755 })
  return dir
}

/** Runs the script; the npm commands it ran. */
function run(dir) {
  const result = spawnSync(process.execPath, [path.join(dir, "scripts", "ensure-install.js")], {
    cwd: dir,
    env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH}` },
    encoding: "utf8",
  })
  expect(result.status).toBe(0)
  const calls = path.join(dir, "npm-calls")
  return fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").trim().split("\n") : []
}

/** Gives `file` the time `date` (a hard link keeps its source's times). */
const touch = (file, date) => fs.utimesSync(file, date, date)

const lockOf = (packages) => ({ name: "p", version: "1.0.0", lockfileVersion: 3, requires: true, packages: { "": { name: "p" }, ...packages } })
const installedOf = (packages) => ({ name: "p", version: "1.0.0", lockfileVersion: 3, requires: true, packages })
const left = { version: "1.3.0", resolved: "https://registry.npmjs.org/left/-/left-1.3.0.tgz", integrity: "sha512-left" }

describe("scripts/ensure-install.js (before npm run demo and npm test)", () => {
  const dirs = []
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })))
  const make = (options) => {
    const dir = project(options)
    dirs.push(dir)
    return dir
  }

  it("installs nothing in a clone whose node_modules is hard-linked from another checkout (older than its package-lock.json)", () => {
    const dir = make()
    // As `git clone` then `cp -al ../main/node_modules .` leave them: the lock new, the installed file old.
    touch(path.join(dir, "node_modules", ".package-lock.json"), new Date("2026-01-01T00:00:00Z"))
    touch(path.join(dir, "package-lock.json"), new Date())
    expect(run(dir)).toEqual([])
  })

  it("installs on a fresh clone (no node_modules)", () => {
    expect(run(make({ installed: null }))).toEqual(["ci --no-audit --no-fund"])
  })

  it("installs when package-lock.json asks for another version, or for a package not installed, however new node_modules is", () => {
    const newer = make({ lock: lockOf({ "node_modules/left": { ...left, version: "1.4.0" } }), installed: installedOf({ "node_modules/left": left }) })
    touch(path.join(newer, "node_modules", ".package-lock.json"), new Date(Date.now() + 60_000))
    expect(run(newer)).toEqual(["ci --no-audit --no-fund"])

    const added = make({
      lock: lockOf({ "node_modules/left": left, "node_modules/right": { ...left, version: "2.0.0" } }),
      installed: installedOf({ "node_modules/left": left }),
    })
    touch(path.join(added, "node_modules", ".package-lock.json"), new Date(Date.now() + 60_000))
    expect(run(added)).toEqual(["ci --no-audit --no-fund"])
  })

  it("leaves alone optional packages npm did not install (another platform's binaries)", () => {
    const dir = make({
      lock: lockOf({ "node_modules/left": left, "node_modules/@esbuild/darwin-arm64": { ...left, optional: true } }),
      installed: installedOf({ "node_modules/left": left }),
    })
    touch(path.join(dir, "node_modules", ".package-lock.json"), new Date("2026-01-01T00:00:00Z"))
    expect(run(dir)).toEqual([])
  })
})
