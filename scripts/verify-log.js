#!/usr/bin/env node
// Verifies the Login as Customer log's chain from the command line, with the
// app's configuration (.env, DATABASE_URL) and LOGIN_AS_CUSTOMER_LOG_KEY:
// `node scripts/verify-log.js` (quick: only lines rewritten since their
// insert are recomputed) or `node scripts/verify-log.js --full` (every line
// recomputed). Prints { verified, verified_through, checkpoints, lines, mode,
// recomputed_lines, first_mismatch, ... } as JSON; exit code 0 verified,
// 1 not, 2 for an option it doesn't know (nothing verified).
// In an app that installed the plugin, run the built script instead, with
// `full` as its argument for a full verification:
// `npx medusa exec ./node_modules/medusa-plugin-login-as-customer/.medusa/server/src/scripts/verify-login-as-customer-log.js [full]`.
const { spawnSync } = require("child_process")
const path = require("path")

const USAGE = "Usage: node scripts/verify-log.js [--full]\n  --full  recompute every line's digest (without it, only lines rewritten since their insert)"

let full = false
for (const arg of process.argv.slice(2)) {
  if (arg === "--full") {
    full = true
  } else if (arg === "--help" || arg === "-h") {
    process.stdout.write(`${USAGE}\n`)
    process.exit(0)
  } else {
    const what = arg.startsWith("-") ? "option" : "argument"
    process.stderr.write(`verify-log: unknown ${what} ${JSON.stringify(arg)}; nothing was verified.\n${USAGE}\n`)
    process.exit(2)
  }
}

const root = path.resolve(__dirname, "..")
// `medusa exec` refuses options it doesn't know (--full among them) and hands
// the script only its positional arguments: the mode goes as one.
const result = spawnSync("npx", ["medusa", "exec", "./src/scripts/verify-login-as-customer-log.ts", ...(full ? ["full"] : [])], {
  cwd: root,
  stdio: "inherit",
  env: { MEDUSA_DISABLE_TELEMETRY: "true", ...process.env },
})
process.exit(result.status ?? 1)
