import type { ExecArgs } from "@medusajs/framework/types"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type { KeptCheckpoint } from "../modules/login-as-customer/log-integrity"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"
import { LogLockedError } from "../modules/login-as-customer/services/log-verify-sql"

/** The usage line of the arguments this script takes. */
const ARGS = "`full` for a full verification (or nothing for a quick one), `anchor=<seq>:<digest>` for a checkpoint kept outside the database"

/** `<seq>:<digest>`: a checkpoint's seq (a whole number from 1) and its 64 hexadecimal digest. */
const KEPT = /^([1-9][0-9]{0,15}):([0-9a-fA-F]{64})$/

/** The mode and the kept checkpoint the arguments ask for, or why an argument isn't one. */
export function parseVerifyArgs(args: string[]): { full: boolean; anchor: KeptCheckpoint | null } | { refused: string } {
  let full = false
  let anchor: KeptCheckpoint | null = null
  for (const arg of args) {
    if (arg === "full" || arg === "--full") {
      full = true
    } else if (arg.startsWith("anchor=")) {
      const kept = KEPT.exec(arg.slice("anchor=".length))
      if (!kept || !Number.isSafeInteger(Number(kept[1])) || anchor) {
        return {
          refused: anchor
            ? "give one kept checkpoint (anchor=) at a time"
            : `${JSON.stringify(arg)} is not anchor=<seq>:<digest> (a checkpoint's seq, a whole number from 1, a colon, and its digest, 64 hexadecimal characters)`,
        }
      }
      anchor = { seq: Number(kept[1]), digest: kept[2].toLowerCase() }
    } else {
      return { refused: `unknown argument ${JSON.stringify(arg)}` }
    }
  }
  return { full, anchor }
}

/**
 * Verifies the Login as Customer log from the command line:
 * `npx medusa exec ./src/scripts/verify-login-as-customer-log.ts [full] [anchor=<seq>:<digest>]`
 * (or `node scripts/verify-log.js [--full] [--anchor <seq>:<digest>]`). `full`
 * recomputes every line's digest from its fields; without it the verification
 * is quick (only lines rewritten since their insert are recomputed).
 * `anchor=` names a checkpoint kept outside the database (the
 * `login_as_customer.log_sealed` event's seq and digest), which the chain
 * must still hold. `medusa exec` refuses options it doesn't know, so these
 * are positional arguments. Prints the answer as JSON; the exit code is 0
 * when everything verified, 1 when something didn't, 2 for an argument it
 * doesn't know (nothing verified), 3 when another session held a lock on
 * the log's tables longer than verification waits (nothing verified).
 */
export default async function verifyLoginAsCustomerLog({ container, args = [] }: ExecArgs) {
  const asked = parseVerifyArgs(args)
  if ("refused" in asked) {
    process.stderr.write(`verify-login-as-customer-log: ${asked.refused}; nothing was verified. Give ${ARGS}.\n`)
    process.exitCode = 2
    return
  }
  const result = await container
    .resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    .verifyLog(asked)
    .catch((error: unknown) => {
      if (!(error instanceof LogLockedError)) throw error
      process.stderr.write(`verify-login-as-customer-log: ${error.message}.\n`)
      process.exitCode = 3
      return null
    })
  if (!result) {
    return
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  if (result.guards_changed.length) {
    const guards = result.guards_changed.map((g) => `${g.trigger} on ${g.table} (${g.state})`).join(", ")
    process.stderr.write(`verify-login-as-customer-log: the log's triggers that don't fire in every session: ${guards}; see guards_changed.\n`)
  }
  if (!result.verified) {
    process.exitCode = 1
  }
}
