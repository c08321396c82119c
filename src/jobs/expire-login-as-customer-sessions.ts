import type { MedusaContainer } from "@medusajs/framework/types"
import { LOGIN_AS_CUSTOMER_MODULE } from "../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../modules/login-as-customer/service"
import { endLoginAsCustomerSessionsWorkflow } from "../workflows/session/workflows/end-login-as-customer-sessions"
import { logMissedSessionEndsWorkflow } from "../workflows/session/workflows/log-missed-session-ends"

/**
 * Marks sessions whose time ran out as ended (`expired`), so each expiry is
 * logged even if the storefront never makes another request. Requests don't
 * wait for this job: the store guard refuses an expired session by itself.
 * Then writes the lines of ends the log is missing (a revocation whose
 * sessions' lines couldn't be written: logMissedSessionEndsWorkflow), even
 * when the expiry failed. Last, deletes the notes of sessions' cart
 * completions that no request ended within an hour (its process died), and
 * those dated ahead (SQL wrote them).
 */
export default async function expireLoginAsCustomerSessions(container: MedusaContainer) {
  try {
    await endLoginAsCustomerSessionsWorkflow(container).run({
      input: { filter: { expired_only: true }, reason: "expired" },
    })
  } finally {
    try {
      await logMissedSessionEndsWorkflow(container).run()
    } finally {
      await container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE).purgeCartCompletions()
    }
  }
}

export const config = {
  name: "expire-login-as-customer-sessions",
  schedule: "* * * * *",
}
