#!/usr/bin/env node
// Verifies the Login as Customer log's chain from the command line, with the
// app's configuration (.env, DATABASE_URL) and LOGIN_AS_CUSTOMER_LOG_KEY:
// `node scripts/verify-log.js`. Prints { verified_through, checkpoints,
// lines, first_mismatch, ... } as JSON; exit code 0 verified, 1 not.
// `node scripts/verify-log.js --full` recomputes every line (without it,
// only lines rewritten since their insert).
// In an app that installed the plugin, run the built script instead:
// `npx medusa exec ./node_modules/medusa-plugin-login-as-customer/.medusa/server/src/scripts/verify-login-as-customer-log.js`.
const { spawnSync } = require("child_process")
const path = require("path")

const root = path.resolve(__dirname, "..")
const result = spawnSync("npx", ["medusa", "exec", "./src/scripts/verify-login-as-customer-log.ts", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { MEDUSA_DISABLE_TELEMETRY: "true", ...process.env },
})
process.exit(result.status ?? 1)
