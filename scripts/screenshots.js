// `node scripts/screenshots.js`: runs the browser suite's accessibility walk
// (e2e/a11y.spec.ts) with SCREENSHOTS=1, then copies the pictures it took
// (.e2e-output/screenshots/<language>/*.png) into docs/screenshots/, which the
// README shows. Look at each before committing it.
const { spawnSync } = require("child_process")
const fs = require("fs")
const path = require("path")

const root = path.resolve(__dirname, "..")
const from = path.join(root, ".e2e-output", "screenshots")
const to = path.join(root, "docs", "screenshots")

fs.rmSync(from, { recursive: true, force: true })
const run = spawnSync(process.execPath, [path.join(__dirname, "test.js"), "e2e", "e2e/a11y.spec.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, SCREENSHOTS: "1" },
})
if (run.status !== 0) {
  console.error("The browser walk failed: docs/screenshots/ left as it was.")
  process.exit(run.status ?? 1)
}
for (const language of fs.readdirSync(from)) {
  fs.mkdirSync(path.join(to, language), { recursive: true })
  for (const file of fs.readdirSync(path.join(from, language))) {
    fs.copyFileSync(path.join(from, language, file), path.join(to, language, file))
    console.log(`docs/screenshots/${language}/${file}`)
  }
}
