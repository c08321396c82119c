import type { MedusaContainer } from "@medusajs/framework/types"
import { endLoginAsCustomerSessionsWorkflow } from "../workflows/session/workflows/end-login-as-customer-sessions"

/**
 * Marks sessions whose time ran out as ended (`expired`), so each expiry is
 * logged even if the storefront never makes another request. Requests don't
 * wait for this job: the store guard refuses an expired session by itself.
 */
export default async function expireLoginAsCustomerSessions(container: MedusaContainer) {
  await endLoginAsCustomerSessionsWorkflow(container).run({
    input: { filter: { expired_only: true }, reason: "expired" },
  })
}

export const config = {
  name: "expire-login-as-customer-sessions",
  schedule: "* * * * *",
}
