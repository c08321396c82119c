import type { ExecArgs } from "@medusajs/framework/types"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"

/**
 * Verifies the Login as Customer log from the command line:
 * `npx medusa exec ./src/scripts/verify-login-as-customer-log.ts [full]` (or
 * `node scripts/verify-log.js [--full]`). `full` recomputes every line's
 * digest from its fields; without it the verification is quick (only lines
 * rewritten since their insert are recomputed). `medusa exec` refuses options
 * it doesn't know, so the mode is a positional argument. Prints the answer as
 * JSON; the exit code is 0 when everything verified, 1 when something didn't,
 * 2 for an argument other than `full` (nothing verified).
 */
export default async function verifyLoginAsCustomerLog({ container, args = [] }: ExecArgs) {
  const unknown = args.filter((arg) => arg !== "full" && arg !== "--full")
  if (unknown.length) {
    process.stderr.write(
      `verify-login-as-customer-log: unknown argument ${JSON.stringify(unknown[0])}; nothing was verified. ` +
        `Give \`full\` for a full verification, or nothing for a quick one.\n`
    )
    process.exitCode = 2
    return
  }
  const full = args.length > 0
  const result = await container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE).verifyLog({ full })
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  if (!result.verified) {
    process.exitCode = 1
  }
}
