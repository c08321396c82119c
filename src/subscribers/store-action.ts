import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { LoginAsCustomerEvents, StoreActionEventData } from "../types"
import { recordLogEntryWorkflow } from "../workflows/log/workflows/record-log-entry"

/** Logs what an admin did in the store while logged in as a customer. */
export default async function storeActionLogHandler({
  event: { data },
  container,
}: SubscriberArgs<StoreActionEventData>) {
  await recordLogEntryWorkflow(container).run({
    input: {
      event_id: data.event_id,
      action: "store_action",
      actor_type: "user",
      actor_id: data.user_id,
      user_id: data.user_id,
      customer_id: data.customer_id,
      session_id: data.session_id,
      details: {
        method: data.method,
        route: data.route,
        path: data.path,
        status: data.status,
        resource_ids: data.resource_ids,
        outcome: data.outcome,
        ...(data.code ? { code: data.code } : {}),
      },
    },
  })
}

export const config: SubscriberConfig = {
  event: LoginAsCustomerEvents.STORE_ACTION,
  context: { subscriberId: "login-as-customer-log-store-action" },
}
