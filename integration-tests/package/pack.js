// Run under the build lock (`flock /tmp/build.lock node pack.js <dir>`): builds
// when the build output is older than the sources, then packs the plugin and
// packages/storefront into <dir> and writes <dir>/tarballs.json.
const { execFileSync } = require("child_process")
const fs = require("fs")
const path = require("path")

const root = path.resolve(__dirname, "..", "..")
const dir = path.resolve(process.argv[2])
const marker = path.join(root, ".medusa", "build-complete")

function newest(file) {
  const stat = fs.statSync(file)
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = stat.mtimeMs
  for (const entry of fs.readdirSync(file)) latest = Math.max(latest, newest(path.join(file, entry)))
  return latest
}

function stale() {
  if (!fs.existsSync(marker)) return true
  const built = fs.statSync(marker).mtimeMs
  const output = [path.join(root, ".medusa", "server"), path.join(root, "packages", "storefront", "dist")]
  if (output.some((file) => !fs.existsSync(file) || newest(file) > built)) return true
  const inputs = ["src", "package.json", "tsconfig.json", "packages/storefront/package.json", "packages/storefront/tsconfig.json", "scripts/build-package.js"]
  return inputs.some((file) => newest(path.join(root, file)) > built)
}

if (process.env.LAC_PACKAGE_REBUILD === "true" || stale()) {
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" })
} else {
  console.log("The build is newer than the sources: packing it as it is.")
}
fs.mkdirSync(dir, { recursive: true })
const pack = (cwd) => {
  const output = execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd, encoding: "utf8" })
  return path.join(dir, JSON.parse(output.slice(output.indexOf("[")))[0].filename)
}
const tarballs = { plugin: pack(root), storefront: pack(path.join(root, "packages", "storefront")) }
fs.writeFileSync(path.join(dir, "tarballs.json"), JSON.stringify(tarballs))
