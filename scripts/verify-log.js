#!/usr/bin/env node
// Verifies the Login as Customer log's chain from the command line, with the
// app's configuration (.env, DATABASE_URL) and LOGIN_AS_CUSTOMER_LOG_KEY:
// `node scripts/verify-log.js` (quick: only lines rewritten since their
// insert are recomputed) or `node scripts/verify-log.js --full` (every line
// recomputed); `--anchor <seq>:<digest>` checks the chain still holds a
// checkpoint kept outside the database. Prints { verified, verified_through, checkpoints, lines, mode,
// recomputed_lines, first_mismatch, ... } as JSON; exit code 0 verified,
// 1 not, 2 for an option it doesn't know (nothing verified), 3 when another
// session held the log's tables locked longer than verification waits.
// In an app that installed the plugin, run the built script instead, with
// `full` and `anchor=<seq>:<digest>` as its arguments:
// `npx medusa exec ./node_modules/medusa-plugin-login-as-customer/.medusa/server/src/scripts/verify-login-as-customer-log.js [full] [anchor=<seq>:<digest>]`.
const { spawnSync } = require("child_process")
const path = require("path")

const USAGE = [
  "Usage: node scripts/verify-log.js [--full] [--anchor <seq>:<digest>]",
  "  --full                     recompute every line's digest (without it, only lines rewritten since their insert)",
  "  --anchor <seq>:<digest>    a checkpoint kept outside the database (the login_as_customer.log_sealed event's",
  "                             seq and digest, or the settings page's): the chain must still hold it",
].join("\n")

/** Refuses the command line: nothing is verified. */
function refuse(message) {
  process.stderr.write(`verify-log: ${message}; nothing was verified.\n${USAGE}\n`)
  process.exit(2)
}

let full = false
const anchors = []
const args = process.argv.slice(2)
for (let i = 0; i < args.length; i++) {
  const arg = args[i]
  if (arg === "--full") {
    full = true
  } else if (arg === "--anchor" || arg.startsWith("--anchor=")) {
    const value = arg === "--anchor" ? args[++i] : arg.slice("--anchor=".length)
    if (!value || value.startsWith("-")) refuse("--anchor needs a value, <seq>:<digest>")
    // Checked by the script medusa exec runs, which says what a kept checkpoint looks like.
    anchors.push(`anchor=${value}`)
  } else if (arg === "--help" || arg === "-h") {
    process.stdout.write(`${USAGE}\n`)
    process.exit(0)
  } else {
    refuse(`unknown ${arg.startsWith("-") ? "option" : "argument"} ${JSON.stringify(arg)}`)
  }
}

const root = path.resolve(__dirname, "..")
// `medusa exec` refuses options it doesn't know (--full among them) and hands
// the script only its positional arguments: the mode goes as one.
const result = spawnSync("npx", ["medusa", "exec", "./src/scripts/verify-login-as-customer-log.ts", ...(full ? ["full"] : []), ...anchors], {
  cwd: root,
  stdio: "inherit",
  env: { MEDUSA_DISABLE_TELEMETRY: "true", ...process.env },
})
process.exit(result.status ?? 1)
