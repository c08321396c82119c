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

/** The named fields of an event's data, as a line's details. */
function pick<T extends object, K extends keyof T>(data: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, data[key]])) as Pick<T, K>
}

/** A line of something an admin did: the admin is its actor and its user. */
function byAdmin(userId: string, line: Omit<RecordLogEntryInput, "actor_type" | "actor_id" | "user_id">): RecordLogEntryInput {
  return { actor_type: "user", actor_id: userId, user_id: userId, ...line }
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
    occurred_at: session.occurred_at ?? null,
    details: {
      ...pick(session, ["storefront_id", "reason", "mode", "context", "started_at", "expires_at"]),
      ...(action === "session_ended" ? pick(session, ["ended_at", "end_reason"]) : {}),
      ...(action === "session_ended" && session.logged_late === true ? { logged_late: true } : {}),
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
      return byAdmin(denied.user_id, {
        event_id: denied.event_id,
        action: "login_denied",
        customer_id: denied.customer_id,
        details: pick(denied, ["code", "message", "storefront_id", "order_id", "reason", "mode"]),
      })
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
        details: { ...pick(change, ["allowed", "expires_at", "previous"]), changed_by: change.actor_type },
      }
    }
    case LoginAsCustomerEvents.SETTINGS_UPDATED: {
      const change = data as SettingsUpdatedEventData
      const consentOff = change.changes.consent_mode?.to === "not_required"
      return byAdmin(change.actor_id, {
        event_id: change.event_id,
        action: "settings_updated",
        details: {
          changes: change.changes,
          ...(consentOff ? { warning: "consent_mode is not_required: customers' consent is no longer asked" } : {}),
        },
      })
    }
    case LoginAsCustomerEvents.GRANT_UPDATED: {
      const change = data as GrantUpdatedEventData
      return byAdmin(change.actor_id, {
        event_id: change.event_id,
        action: "grant_updated",
        details: { grantee_id: change.user_id, ...pick(change, ["can_login", "can_view_log", "previous"]) },
      })
    }
    case LoginAsCustomerEvents.ORDER_PLACED: {
      const placed = data as OrderPlacedEventData
      return byAdmin(placed.user_id, {
        event_id: placed.event_id,
        action: "order_placed",
        customer_id: placed.customer_id,
        session_id: placed.session_id,
        occurred_at: placed.occurred_at ?? null,
        details: pick(placed, ["order_id", "display_id", "cart_id", "total", "currency_code", "note", "reason", "mode"]),
      })
    }
    case LoginAsCustomerEvents.EXCHANGE_LIMIT_TRIPPED: {
      const tripped = data as ExchangeLimitTrippedEventData
      return {
        event_id: tripped.event_id,
        action: "exchange_limit_tripped",
        actor_type: "system",
        actor_id: null,
        details: pick(tripped, ["max_failures", "window_seconds", "until", "client_address"]),
      }
    }
    case LoginAsCustomerEvents.STORE_ACTION: {
      const action = data as StoreActionEventData
      return byAdmin(action.user_id, {
        event_id: action.event_id,
        action: "store_action",
        customer_id: action.customer_id,
        session_id: action.session_id,
        details: {
          ...pick(action, ["method", "route", "path", "status", "resource_ids", "outcome"]),
          ...(action.code ? { code: action.code } : {}),
          ...(action.restricted_actions?.length ? { restricted_actions: action.restricted_actions } : {}),
          ...pick(action, ["reason", "mode"]),
          ...(action.requested_at ? { requested_at: action.requested_at } : {}),
          ...(action.order_id ? { order_id: action.order_id } : {}),
          ...(typeof action.order_created === "boolean" ? { order_created: action.order_created } : {}),
        },
      })
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
