/**
 * Public types of medusa-plugin-login-as-customer, importable from
 * `medusa-plugin-login-as-customer/types`.
 */

export const STORE_SELECTIONS = ["auto", "manual"] as const
export type StoreSelection = (typeof STORE_SELECTIONS)[number]

export const ACCESS_MODES = ["all_admins", "selected_admins"] as const
export type AccessMode = (typeof ACCESS_MODES)[number]

export const CONSENT_MODES = [
  "customer_or_admin",
  "customer_only",
  "not_required",
] as const
export type ConsentMode = (typeof CONSENT_MODES)[number]

export const SESSION_MODES = ["full", "read_only"] as const
export type SessionMode = (typeof SESSION_MODES)[number]

/** Who may change a customer's consent: the customer, or an admin (a Medusa user). */
export const ASSISTANCE_ACTOR_TYPES = ["customer", "user"] as const
export type AssistanceActorType = (typeof ASSISTANCE_ACTOR_TYPES)[number]

export const END_REASONS = [
  "logout",
  "ended_by_admin",
  "expired",
  "consent_withdrawn",
  "feature_disabled",
  "superseded",
  "admin_revoked",
  "admin_logout",
] as const
export type EndReason = (typeof END_REASONS)[number]

/**
 * Store actions an impersonating admin may be kept from. The defaults are the
 * ones that would take the account away from its owner.
 */
export const RESTRICTABLE_ACTIONS = [
  "change_email",
  "change_password",
  "change_remote_assistance",
  "manage_auth_identities",
  "update_profile",
  "manage_addresses",
  "place_order",
] as const
export type RestrictableAction = (typeof RESTRICTABLE_ACTIONS)[number]

export const DEFAULT_RESTRICTED_ACTIONS: RestrictableAction[] = [
  "change_email",
  "change_password",
  "change_remote_assistance",
  "manage_auth_identities",
]

/** Why a Login as Customer request is refused. */
export const DENIAL_CODES = [
  "feature_disabled",
  "permission_denied",
  "customer_not_found",
  "customer_has_no_account",
  "assistance_not_allowed",
  "assistance_expired",
  "storefront_required",
  "storefront_not_found",
  "storefront_origin_not_allowed",
  "reason_required",
] as const
export type DenialCode = (typeof DENIAL_CODES)[number]

export const LOG_ACTIONS = [
  "ticket_issued",
  "session_started",
  "session_ended",
  "login_denied",
  "assistance_updated",
  "settings_updated",
  "order_placed",
  "store_action",
  "grant_updated",
  "storefront_origins_changed",
  "exchange_limit_tripped",
  "personal_data_erased",
] as const
export type LogAction = (typeof LOG_ACTIONS)[number]

export type StorefrontDTO = {
  id: string
  name: string
  sales_channel_id: string | null
  login_url: string
}

export type SettingsDTO = {
  enabled: boolean
  disable_page_cache: boolean
  store_selection: StoreSelection
  ticket_ttl_seconds: number
  session_ttl_seconds: number
  storefronts: StorefrontDTO[]
  access: AccessMode
  consent_mode: ConsentMode
  require_reason: boolean
  notify_customer: boolean
  restricted_actions: RestrictableAction[]
  /** Days the log keeps its lines; null keeps them forever. */
  log_retention_days: number | null
  updated_at: Date | string | null
}

export type RemoteAssistanceDTO = {
  id: string
  customer_id: string
  allowed: boolean
  expires_at: Date | string | null
  updated_by_type: AssistanceActorType | null
  updated_by_id: string | null
  created_at: Date | string
  updated_at: Date | string
}

export type AdminGrantDTO = {
  id: string
  user_id: string
  can_login: boolean
  can_view_log: boolean
  created_at: Date | string
  updated_at: Date | string
}

export type SessionDTO = {
  id: string
  user_id: string
  customer_id: string
  storefront_id: string | null
  context: Record<string, unknown> | null
  reason: string | null
  mode: SessionMode
  started_at: Date | string | null
  expires_at: Date | string
  ended_at: Date | string | null
  end_reason: EndReason | null
  created_at: Date | string
  updated_at: Date | string
}

export type LogEntryDTO = {
  id: string
  event_id: string | null
  action: LogAction | string
  actor_type: "user" | "customer" | "system"
  actor_id: string | null
  user_id: string | null
  user_email: string | null
  customer_id: string | null
  customer_email: string | null
  session_id: string | null
  details: Record<string, unknown> | null
  created_at: Date | string
}

/** Filters of the log list and its CSV export. */
export type LogFilter = {
  /** Each filter takes one value or several (any of them matches). */
  action?: string[]
  user_id?: string | string[]
  customer_id?: string | string[]
  session_id?: string | string[]
  created_at?: { gte?: string | Date; lte?: string | Date }
  /** Free text, matched (case-insensitively, literally) in emails, action, ids and the reason. */
  q?: string
  /**
   * With `q`: the admins and customers whose name (or current email) holds
   * the text, found in Medusa's user and customer modules; their lines match too.
   */
  q_user_ids?: string[]
  q_customer_ids?: string[]
}

/** The event names the plugin emits, after its workflows succeed. */
export const LoginAsCustomerEvents = {
  TICKET_ISSUED: "login_as_customer.ticket_issued",
  SESSION_STARTED: "login_as_customer.session_started",
  SESSION_ENDED: "login_as_customer.session_ended",
  LOGIN_DENIED: "login_as_customer.login_denied",
  ASSISTANCE_UPDATED: "login_as_customer.assistance_updated",
  SETTINGS_UPDATED: "login_as_customer.settings_updated",
  ORDER_PLACED: "login_as_customer.order_placed",
  STORE_ACTION: "login_as_customer.store_action",
  GRANT_UPDATED: "login_as_customer.grant_updated",
  EXCHANGE_LIMIT_TRIPPED: "login_as_customer.exchange_limit_tripped",
  LOG_SEALED: "login_as_customer.log_sealed",
} as const

/**
 * Data of `login_as_customer.log_sealed`: the checkpoint a seal just wrote.
 * Keep `{ seq, digest }` outside the database (a SIEM, object storage with
 * a retention lock): `POST /admin/login-as-customer/log/verify` with
 * `{ anchor: { seq, digest } }` checks the chain still holds it.
 */
export type LogSealedEventData = {
  seq: number
  digest: string
  /** Whether the checkpoint is signed with the log's key (`key_id`). */
  signed: boolean
  key_id: string | null
  line_count: number
  /** The times of the oldest and newest line it sealed (ISO, UTC). */
  first_line_at: string | null
  last_line_at: string | null
  created_at: string
  /**
   * The log's triggers, their functions, rules or columns were changed in
   * the database's catalog since the seal before (even if put back): lines
   * not sealed then may have been removed or changed. A plugin upgrade
   * whose migration changes them does it too; otherwise alert on it.
   */
  guards_rewritten: boolean
}

/** Data of the session events (`ticket_issued`, `session_started`, `session_ended`). */
export type SessionEventData = {
  event_id: string
  session_id: string
  user_id: string
  customer_id: string
  storefront_id: string | null
  reason: string | null
  mode: SessionMode
  context: Record<string, unknown> | null
  started_at: string | null
  expires_at: string | null
  ended_at: string | null
  end_reason: EndReason | null
  /** Who ended it, when an admin or the customer did. */
  ended_by?: { actor_type: "user" | "customer" | "system"; actor_id: string | null }
  /**
   * When it happened: the session's creation (`ticket_issued`), `started_at`
   * or `ended_at`. Events emitted by versions before it have none.
   */
  occurred_at?: string | null
  /**
   * `session_ended` only: written by the expiry job after the end's own
   * workflow failed to write it (logMissedSessionEndsWorkflow); `ended_by`
   * is then the system, or, when consent withdrawn ended it, who withdrew it
   * by the log.
   */
  logged_late?: boolean
}

export type LoginDeniedEventData = {
  event_id: string
  user_id: string
  customer_id: string
  code: string
  message: string
  storefront_id: string | null
  order_id: string | null
  reason: string | null
  mode: SessionMode | null
}

export type StoreActionEventData = {
  event_id: string
  session_id: string
  user_id: string
  customer_id: string
  method: string
  route: string
  path: string
  status: number
  resource_ids: string[]
  outcome: "allowed" | "refused"
  code?: string
  /** The restricted actions a refused request performed (`manage_addresses`…), when a restriction refused it. */
  restricted_actions?: string[]
  /** The session's reason and mode, so the line answers a search for the reason. */
  reason?: string | null
  mode?: SessionMode
  /** When the guard let the request through (the server's clock): whether it came before a cart's completion. */
  requested_at?: string
  /** A cart completion answered with an order: that order's id. */
  order_id?: string
  /**
   * A cart completion answered with an order: whether it created it (false:
   * it waited on Medusa's lock of the cart behind another completion that did).
   */
  order_created?: boolean
}

export type OrderPlacedEventData = {
  event_id: string
  order_id: string
  display_id: number
  cart_id: string | null
  session_id: string
  user_id: string
  customer_id: string | null
  total: string | null
  currency_code: string
  note: string
  /** The session's reason and mode, so the line answers a search for the reason. */
  reason?: string | null
  mode?: SessionMode
  /** When the order was placed (its `created_at`). Events emitted by versions before it have none. */
  occurred_at?: string | null
}

export type GrantUpdatedEventData = {
  event_id: string
  actor_id: string
  user_id: string
  can_login: boolean
  can_view_log: boolean
  previous: { can_login: boolean; can_view_log: boolean } | null
}

export type AssistanceUpdatedEventData = {
  event_id: string
  customer_id: string
  allowed: boolean
  expires_at: string | null
  previous: { allowed: boolean; expires_at: string | null } | null
  actor_type: "customer" | "user"
  actor_id: string
}

/** The store-wide ceiling on failed ticket exchanges was reached: exchanges stop until `until`. */
export type ExchangeLimitTrippedEventData = {
  event_id: string
  max_failures: number
  window_seconds: number
  until: string
  /** The address of the attempt that found the ceiling reached, as the limit counts it. */
  client_address: string
}

export type SettingsUpdatedEventData = {
  event_id: string
  actor_id: string
  changes: Record<string, { from: unknown; to: unknown }>
}

/** The module's plugin options: defaults for the settings, plus a few fixed choices. */
export type LoginAsCustomerOptions = Partial<
  Omit<SettingsDTO, "updated_at" | "storefronts">
> & {
  storefronts?: Array<Omit<StorefrontDTO, "id" | "sales_channel_id"> & {
    id?: string
    sales_channel_id?: string | null
  }>
  /** Notification template sent to the customer when a session starts. */
  notification_template?: string
  /** Notification channel (default `email`). */
  notification_channel?: string
  /**
   * Failed ticket exchanges allowed per client address and window (default 10
   * a minute), and per window store-wide (`store_max_failures`, default 20
   * times `max_attempts`, at least 200); `false` turns them off.
   */
  exchange_rate_limit?: false | { max_attempts: number; window_seconds: number; store_max_failures?: number | false }
  /** Whose address the exchange limit counts: `proxy` (`req.ip`, default) or `socket` (the connection's). */
  client_address?: "proxy" | "socket"
}
