// Runs before `npm run demo` and `npm test` (npm's pre-scripts): on a fresh
// clone, or after package-lock.json changed, installs the packages first, so
// each command works as the first one after `git clone`. Built-ins only.
//
// What decides is what is installed, not when: node_modules/.package-lock.json
// (npm writes it at the end of every install) must list every package of
// package-lock.json at the same version and integrity. A clone whose
// node_modules is hard-linked from another checkout (`cp -al`) keeps that
// checkout's old file times, yet has everything installed.
const { spawnSync } = require("child_process")
const fs = require("fs")
const path = require("path")

const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"))
  } catch {
    return null
  }
}

/**
 * Why `root` needs `npm ci`, or null when node_modules already holds what
 * package-lock.json asks for. Packages npm may leave out (optional ones, such
 * as other platforms' binaries) may be missing; extra packages don't count.
 */
function installNeeded(root) {
  const lock = readJson(path.join(root, "package-lock.json"))
  if (!lock || !lock.packages) {
    return "package-lock.json is missing or unreadable"
  }
  const installed = readJson(path.join(root, "node_modules", ".package-lock.json"))
  if (!installed || !installed.packages) {
    return "no packages installed yet"
  }
  for (const [name, wanted] of Object.entries(lock.packages)) {
    // "" is the project itself; packages under another path (a linked directory) aren't in node_modules.
    if (!name.startsWith("node_modules/")) continue
    const have = installed.packages[name]
    if (!have) {
      if (wanted.optional || wanted.devOptional) continue
      return `${name} is not installed`
    }
    for (const field of ["version", "integrity", "resolved", "link"]) {
      if (wanted[field] !== have[field]) {
        return `${name}: ${field} ${have[field]} installed, ${wanted[field]} in package-lock.json`
      }
    }
  }
  return null
}

module.exports = { installNeeded }

if (require.main === module) {
  const root = path.resolve(__dirname, "..")
  const why = installNeeded(root)
  if (why) {
    console.log(`Installing the packages (npm ci): ${why}…`)
    const npm = process.platform === "win32" ? "npm.cmd" : "npm"
    const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" })
    process.exit(result.status ?? 1)
  }
}
