import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { LoginAsCustomerEvents, LoginDeniedEventData, SessionEventData } from "../types"
import { recordLogEntryWorkflow } from "../workflows/log/workflows/record-log-entry"

const ACTIONS: Record<string, string> = {
  [LoginAsCustomerEvents.TICKET_ISSUED]: "ticket_issued",
  [LoginAsCustomerEvents.SESSION_STARTED]: "session_started",
  [LoginAsCustomerEvents.SESSION_ENDED]: "session_ended",
  [LoginAsCustomerEvents.LOGIN_DENIED]: "login_denied",
}

/** Logs the session's life: ticket issued, started, ended, and refused logins. */
export default async function sessionLogHandler({
  event: { name, data },
  container,
}: SubscriberArgs<SessionEventData | LoginDeniedEventData>) {
  const action = ACTIONS[name]
  if (!action) {
    return
  }
  if (action === "login_denied") {
    const denied = data as LoginDeniedEventData
    await recordLogEntryWorkflow(container).run({
      input: {
        event_id: denied.event_id,
        action,
        actor_type: "user",
        actor_id: denied.user_id,
        user_id: denied.user_id,
        customer_id: denied.customer_id,
        details: {
          code: denied.code,
          message: denied.message,
          storefront_id: denied.storefront_id,
          order_id: denied.order_id,
          reason: denied.reason,
          mode: denied.mode,
        },
      },
    })
    return
  }
  const session = data as SessionEventData
  const endedBy = session.ended_by
  await recordLogEntryWorkflow(container).run({
    input: {
      event_id: session.event_id,
      action,
      actor_type: endedBy?.actor_type ?? "user",
      actor_id: endedBy ? endedBy.actor_id : session.user_id,
      user_id: session.user_id,
      customer_id: session.customer_id,
      session_id: session.session_id,
      details: {
        storefront_id: session.storefront_id,
        reason: session.reason,
        mode: session.mode,
        context: session.context,
        started_at: session.started_at,
        expires_at: session.expires_at,
        ...(action === "session_ended"
          ? { ended_at: session.ended_at, end_reason: session.end_reason }
          : {}),
      },
    },
  })
}

export const config: SubscriberConfig = {
  event: [
    LoginAsCustomerEvents.TICKET_ISSUED,
    LoginAsCustomerEvents.SESSION_STARTED,
    LoginAsCustomerEvents.SESSION_ENDED,
    LoginAsCustomerEvents.LOGIN_DENIED,
  ],
  context: { subscriberId: "login-as-customer-log-session" },
}
