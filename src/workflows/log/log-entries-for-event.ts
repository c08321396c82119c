import type { RecordLogEntryInput } from "../../modules/login-as-customer/service"
import {
  AssistanceUpdatedEventData,
  ExchangeLimitTrippedEventData,
  GrantUpdatedEventData,
  LoginAsCustomerEvents,
  LoginDeniedEventData,
  OrderPlacedEventData,
  SessionEventData,
  SettingsUpdatedEventData,
  StoreActionEventData,
} from "../../types"

type EventName = (typeof LoginAsCustomerEvents)[keyof typeof LoginAsCustomerEvents]

const SESSION_ACTIONS: Partial<Record<EventName, string>> = {
  [LoginAsCustomerEvents.TICKET_ISSUED]: "ticket_issued",
  [LoginAsCustomerEvents.SESSION_STARTED]: "session_started",
  [LoginAsCustomerEvents.SESSION_ENDED]: "session_ended",
}

function sessionEntry(action: string, session: SessionEventData): RecordLogEntryInput {
  const endedBy = session.ended_by
  return {
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
      ...(action === "session_ended" ? { ended_at: session.ended_at, end_reason: session.end_reason } : {}),
    },
  }
}

function oneEntry(name: EventName, data: unknown): RecordLogEntryInput | null {
  const sessionAction = SESSION_ACTIONS[name]
  if (sessionAction) {
    return sessionEntry(sessionAction, data as SessionEventData)
  }
  switch (name) {
    case LoginAsCustomerEvents.LOGIN_DENIED: {
      const denied = data as LoginDeniedEventData
      return {
        event_id: denied.event_id,
        action: "login_denied",
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
      }
    }
    case LoginAsCustomerEvents.ASSISTANCE_UPDATED: {
      const change = data as AssistanceUpdatedEventData
      return {
        event_id: change.event_id,
        action: "assistance_updated",
        actor_type: change.actor_type,
        actor_id: change.actor_id,
        user_id: change.actor_type === "user" ? change.actor_id : null,
        customer_id: change.customer_id,
        details: {
          allowed: change.allowed,
          expires_at: change.expires_at,
          previous: change.previous,
          changed_by: change.actor_type,
        },
      }
    }
    case LoginAsCustomerEvents.SETTINGS_UPDATED: {
      const change = data as SettingsUpdatedEventData
      const consentOff = change.changes.consent_mode?.to === "not_required"
      return {
        event_id: change.event_id,
        action: "settings_updated",
        actor_type: "user",
        actor_id: change.actor_id,
        user_id: change.actor_id,
        details: {
          changes: change.changes,
          ...(consentOff ? { warning: "consent_mode is not_required: customers' consent is no longer asked" } : {}),
        },
      }
    }
    case LoginAsCustomerEvents.GRANT_UPDATED: {
      const change = data as GrantUpdatedEventData
      return {
        event_id: change.event_id,
        action: "grant_updated",
        actor_type: "user",
        actor_id: change.actor_id,
        user_id: change.actor_id,
        details: {
          grantee_id: change.user_id,
          can_login: change.can_login,
          can_view_log: change.can_view_log,
          previous: change.previous,
        },
      }
    }
    case LoginAsCustomerEvents.ORDER_PLACED: {
      const placed = data as OrderPlacedEventData
      return {
        event_id: placed.event_id,
        action: "order_placed",
        actor_type: "user",
        actor_id: placed.user_id,
        user_id: placed.user_id,
        customer_id: placed.customer_id,
        session_id: placed.session_id,
        details: {
          order_id: placed.order_id,
          display_id: placed.display_id,
          cart_id: placed.cart_id,
          total: placed.total,
          currency_code: placed.currency_code,
          note: placed.note,
        },
      }
    }
    case LoginAsCustomerEvents.EXCHANGE_LIMIT_TRIPPED: {
      const tripped = data as ExchangeLimitTrippedEventData
      return {
        event_id: tripped.event_id,
        action: "exchange_limit_tripped",
        actor_type: "system",
        actor_id: null,
        details: {
          max_failures: tripped.max_failures,
          window_seconds: tripped.window_seconds,
          until: tripped.until,
          client_address: tripped.client_address,
        },
      }
    }
    case LoginAsCustomerEvents.STORE_ACTION: {
      const action = data as StoreActionEventData
      return {
        event_id: action.event_id,
        action: "store_action",
        actor_type: "user",
        actor_id: action.user_id,
        user_id: action.user_id,
        customer_id: action.customer_id,
        session_id: action.session_id,
        details: {
          method: action.method,
          route: action.route,
          path: action.path,
          status: action.status,
          resource_ids: action.resource_ids,
          outcome: action.outcome,
          ...(action.code ? { code: action.code } : {}),
        },
      }
    }
    default:
      return null
  }
}

/**
 * The log lines of one of the plugin's events (one per item when the data is
 * a list). Each line keeps the event's `event_id`, so writing it twice is a
 * no-op.
 */
export function logEntriesForEvent(name: string, data: unknown): RecordLogEntryInput[] {
  const items = Array.isArray(data) ? data : data == null ? [] : [data]
  return items
    .map((item) => oneEntry(name as EventName, item))
    .filter((entry): entry is RecordLogEntryInput => entry !== null)
}
