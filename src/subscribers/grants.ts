import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { GrantUpdatedEventData, LoginAsCustomerEvents } from "../types"
import { recordLogEntryWorkflow } from "../workflows/log/workflows/record-log-entry"

/** Logs changes to what an admin may do (`grant_updated`). */
export default async function grantLogHandler({
  event: { data },
  container,
}: SubscriberArgs<GrantUpdatedEventData>) {
  await recordLogEntryWorkflow(container).run({
    input: {
      event_id: data.event_id,
      action: "grant_updated",
      actor_type: "user",
      actor_id: data.actor_id,
      user_id: data.actor_id,
      details: {
        grantee_id: data.user_id,
        can_login: data.can_login,
        can_view_log: data.can_view_log,
        previous: data.previous,
      },
    },
  })
}

export const config: SubscriberConfig = {
  event: LoginAsCustomerEvents.GRANT_UPDATED,
  context: { subscriberId: "login-as-customer-log-grants" },
}
