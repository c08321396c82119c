import type { ExecArgs } from "@medusajs/framework/types"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"

/**
 * Verifies the Login as Customer log from the command line:
 * `npx medusa exec ./src/scripts/verify-login-as-customer-log.ts` (or
 * `node scripts/verify-log.js`). Prints the answer as JSON; the exit code is
 * 0 when everything verified, 1 when something didn't. `--full` recomputes
 * every line's digest from its fields (without it, only lines rewritten
 * since their insert).
 */
export default async function verifyLoginAsCustomerLog({ container, args = [] }: ExecArgs) {
  const full = args.includes("--full")
  const result = await container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE).verifyLog({ full })
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  if (!result.verified) {
    process.exitCode = 1
  }
}
