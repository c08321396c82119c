// Runs before `npm run demo` and `npm test` (npm's pre-scripts): on a fresh
// clone, or after package-lock.json changed, installs the packages first, so
// each command works as the first one after `git clone`. Built-ins only.
const { spawnSync } = require("child_process")
const fs = require("fs")
const path = require("path")

const root = path.resolve(__dirname, "..")
const lock = path.join(root, "package-lock.json")
// npm writes this file at the end of every install.
const installed = path.join(root, "node_modules", ".package-lock.json")

const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0)

if (mtime(installed) < mtime(lock)) {
  console.log("Installing the packages (npm ci)…")
  const npm = process.platform === "win32" ? "npm.cmd" : "npm"
  const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" })
  process.exit(result.status ?? 1)
}
