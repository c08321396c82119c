import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { LoginAsCustomerEvents, SettingsUpdatedEventData } from "../types"
import { recordLogEntryWorkflow } from "../workflows/log/workflows/record-log-entry"

/** Logs every settings change (`settings_updated`), with what changed. */
export default async function settingsLogHandler({
  event: { data },
  container,
}: SubscriberArgs<SettingsUpdatedEventData>) {
  const consentOff = data.changes.consent_mode?.to === "not_required"
  await recordLogEntryWorkflow(container).run({
    input: {
      event_id: data.event_id,
      action: "settings_updated",
      actor_type: "user",
      actor_id: data.actor_id,
      user_id: data.actor_id,
      details: {
        changes: data.changes,
        ...(consentOff
          ? { warning: "consent_mode is not_required: customers' consent is no longer asked" }
          : {}),
      },
    },
  })
}

export const config: SubscriberConfig = {
  event: LoginAsCustomerEvents.SETTINGS_UPDATED,
  context: { subscriberId: "login-as-customer-log-settings" },
}
