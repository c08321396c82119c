import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { withRetry } from "../lib/retry"
import { endLoginAsCustomerSessionsWorkflow } from "../workflows/session/workflows/end-login-as-customer-sessions"

/** A deleted admin's impersonation sessions end at once (`admin_revoked`). */
export default async function endDeletedAdminSessions({
  event: { data },
  container,
}: SubscriberArgs<{ id: string }>) {
  await withRetry(() =>
    endLoginAsCustomerSessionsWorkflow(container).run({
      input: { filter: { user_id: data.id }, reason: "admin_revoked" },
    })
  )
}

export const config: SubscriberConfig = {
  event: "user.deleted",
  context: { subscriberId: "login-as-customer-end-deleted-admin-sessions" },
}
