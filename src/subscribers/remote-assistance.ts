import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { AssistanceUpdatedEventData, LoginAsCustomerEvents } from "../types"
import { recordLogEntryWorkflow } from "../workflows/log/workflows/record-log-entry"

/** Logs every change of a customer's consent (`assistance_updated`). */
export default async function remoteAssistanceLogHandler({
  event: { data },
  container,
}: SubscriberArgs<AssistanceUpdatedEventData>) {
  await recordLogEntryWorkflow(container).run({
    input: {
      event_id: data.event_id,
      action: "assistance_updated",
      actor_type: data.actor_type,
      actor_id: data.actor_id,
      user_id: data.actor_type === "user" ? data.actor_id : null,
      customer_id: data.customer_id,
      details: {
        allowed: data.allowed,
        expires_at: data.expires_at,
        previous: data.previous,
        changed_by: data.actor_type,
      },
    },
  })
}

export const config: SubscriberConfig = {
  event: LoginAsCustomerEvents.ASSISTANCE_UPDATED,
  context: { subscriberId: "login-as-customer-log-assistance" },
}
