// Browser tests: the demo stack (embedded Postgres, Medusa with the admin built
// from this repo, the reference storefront) on data of its own in .e2e/, then
// the Playwright specs in Debian's Chromium. Part of `npm test`.
const { spawn, spawnSync } = require("child_process")
const fs = require("fs")
const path = require("path")

const root = path.resolve(__dirname, "..")
const dataDir = path.join(root, ".e2e")
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium"

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`)
    process.exit(1)
  }
  const THAI_FONT = "/usr/share/fonts/opentype/tlwg/Loma.otf"
  if (!process.env.E2E_SKIP_FONT_CHECK && !fs.existsSync(THAI_FONT)) {
    // Without a Thai font Chromium draws Thai as wide boxes, and the settings test's
    // "every sidebar label on one line" fails for Thai for no fault of the labels.
    console.error(`No Thai font at ${THAI_FONT}: apt-get install -y fonts-tlwg-loma-otf (or set E2E_SKIP_FONT_CHECK=1).`)
    process.exit(1)
  }
  fs.rmSync(dataDir, { recursive: true, force: true })
  fs.mkdirSync(dataDir, { recursive: true })
  // Ports from the environment (today's values by default), so a run can sit beside another stack.
  const medusaPort = process.env.E2E_MEDUSA_PORT || "9000"
  const storefrontPort = process.env.E2E_STOREFRONT_PORT || "8000"
  const stack = spawn(process.execPath, [path.join(root, "demo", "run.js")], {
    cwd: root,
    env: {
      ...process.env,
      DEMO_DIR: dataDir,
      DEMO_PG_PORT: process.env.E2E_PG_PORT || "54339",
      DEMO_MEDUSA_PORT: medusaPort,
      DEMO_STOREFRONT_PORT: storefrontPort,
      DEMO_LAC_ENABLED: "false",
      // The reference storefront and the Next.js example (e2e/nextjs.spec.ts) may receive tickets.
      STORE_CORS: `http://localhost:${storefrontPort},http://localhost:${process.env.E2E_NEXT_PORT || 8310}`,
    },
    stdio: ["ignore", "pipe", "inherit"],
  })
  let output = ""
  const ready = new Promise((resolve, reject) => {
    stack.stdout.on("data", (chunk) => {
      output += chunk
      process.stdout.write(chunk)
      if (output.includes("Ready in")) resolve()
    })
    stack.once("exit", (code) => reject(new Error(`the demo stack exited with ${code}`)))
  })
  let status = 1
  try {
    await ready
    await warmAdmin(`http://localhost:${medusaPort}`)
    const result = spawnSync(
      process.execPath,
      // Extra arguments (a spec file, -t <name>) go to jest.
      [require.resolve("jest/bin/jest"), "--runInBand", ...process.argv.slice(2), "--selectProjects", "e2e"],
      {
        cwd: root,
        stdio: "inherit",
        env: {
          ...process.env,
          E2E: "true",
          E2E_DATA_DIR: dataDir,
          E2E_ADMIN_URL: `http://localhost:${medusaPort}`,
          E2E_STOREFRONT_URL: `http://localhost:${storefrontPort}`,
          CHROMIUM_PATH: CHROMIUM,
          NODE_OPTIONS: [process.env.NODE_OPTIONS, "--experimental-vm-modules"].filter(Boolean).join(" "),
        },
      }
    )
    status = result.status ?? 1
  } finally {
    stack.kill("SIGINT")
    await new Promise((resolve) => {
      if (stack.exitCode !== null) return resolve()
      stack.once("exit", resolve)
      setTimeout(resolve, 20_000)
    })
    if (status === 0) fs.rmSync(dataDir, { recursive: true, force: true })
  }
  process.exit(status)
}

/**
 * Opens the admin's login page once before any spec: under `medusa develop` its
 * first load is built on demand (vite): 30–40 s on a quiet 2-core machine,
 * once more than the first spec's 240 s on CI, too long to be borne by
 * whichever spec happens to run first.
 */
async function warmAdmin(adminUrl) {
  const { chromium } = require("playwright-core")
  const started = Date.now()
  process.stdout.write("Building the admin's first page… ")
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  })
  try {
    // A load that stalls (a module request left hanging while vite optimizes) is tried afresh.
    for (let attempt = 1; ; attempt++) {
      const page = await browser.newPage()
      try {
        await page.goto(`${adminUrl}/app/login`, { timeout: 300_000 })
        await page.locator('input[name="email"]').waitFor({ timeout: 300_000 })
        break
      } catch (error) {
        if (attempt === 3) throw error
        process.stdout.write(`(${error.message.split("\n")[0]}; again) `)
      } finally {
        await page.close()
      }
    }
  } finally {
    await browser.close()
  }
  console.log(`done (${((Date.now() - started) / 1000).toFixed(1)} s)`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
