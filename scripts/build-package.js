// The second half of `npm run build`, after `medusa plugin:build`:
// - removes the inline source maps plugin:build always writes (they point at
//   ./src, which the package does not ship);
// - writes an index.d.ts for the admin entry (the bundle has no declarations);
// - builds the storefront package (packages/storefront) from src/storefront.
const { spawnSync } = require("child_process")
const fs = require("fs")
const path = require("path")

const root = path.resolve(__dirname, "..")
const server = path.join(root, ".medusa", "server")

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(file, out)
    else out.push(file)
  }
  return out
}

if (!fs.existsSync(server)) {
  console.error("No .medusa/server: run `medusa plugin:build` first.")
  process.exit(1)
}

let stripped = 0
for (const file of walk(server)) {
  if (!/\.(c|m)?js$/.test(file)) continue
  const text = fs.readFileSync(file, "utf8")
  const without = text.replace(/\n?\/\/# sourceMappingURL=data:[^\n]*\n?$/, "\n")
  if (without !== text) {
    fs.writeFileSync(file, without)
    stripped++
  }
}

const adminTypes = `/** The plugin's admin extensions, loaded by Medusa's admin build. */
declare const plugin: Record<string, unknown>
export default plugin
`
const adminDir = path.join(server, "src", "admin")
if (fs.existsSync(adminDir)) {
  fs.writeFileSync(path.join(adminDir, "index.d.ts"), adminTypes)
  fs.writeFileSync(path.join(adminDir, "index.d.mts"), adminTypes)
}

const storefront = path.join(root, "packages", "storefront")
fs.rmSync(path.join(storefront, "dist"), { recursive: true, force: true })
const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(storefront, "tsconfig.json")], {
  cwd: root,
  stdio: "inherit",
})
if (tsc.status !== 0) {
  console.error("The storefront package did not compile.")
  process.exit(tsc.status ?? 1)
}
// Read by the package tests: the build is complete and as new as this moment.
fs.writeFileSync(path.join(root, ".medusa", "build-complete"), new Date().toISOString() + "\n")
console.log(`Package ready: ${stripped} inline source maps removed, admin types written, packages/storefront/dist built.`)
