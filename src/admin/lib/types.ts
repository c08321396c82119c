import type { LogEntryDTO } from "../../types"

export type RemoteAssistance = {
  allowed: boolean
  expires_at: string | null
  active: boolean
  updated_by_type: "customer" | "user" | null
  updated_at: string | null
}

export type AdminSession = {
  id: string
  user_id: string
  customer_id: string
  admin: { id: string; email: string; first_name: string | null; last_name: string | null } | null
  storefront_id: string | null
  context: { order_id?: string } | null
  reason: string | null
  mode: "full" | "read_only"
  status: "pending" | "active" | "ended" | "expired"
  started_at: string | null
  expires_at: string | null
  ended_at: string | null
  end_reason: string | null
  created_at: string | null
}

export type CustomerLoginAsCustomer = {
  remote_assistance: RemoteAssistance
  can_login: boolean
  reason: string | null
  permissions: { can_login: boolean; can_view_log: boolean; can_manage: boolean }
  consent_mode: "customer_or_admin" | "customer_only" | "not_required"
  require_reason: boolean
  store_selection: "auto" | "manual"
  storefronts: Array<{ id: string; name: string; sales_channel_id: string | null }>
  active_sessions: AdminSession[]
}

export type Storefront = { id: string; name: string; sales_channel_id: string | null; login_url: string }

export type Settings = {
  enabled: boolean
  disable_page_cache: boolean
  store_selection: "auto" | "manual"
  ticket_ttl_seconds: number
  session_ttl_seconds: number
  storefronts: Storefront[]
  access: "all_admins" | "selected_admins"
  consent_mode: "customer_or_admin" | "customer_only" | "not_required"
  require_reason: boolean
  notify_customer: boolean
  restricted_actions: string[]
  /** Days the log keeps its lines; null keeps them forever. */
  log_retention_days?: number | null
  updated_at: string | null
}

export type Grant = {
  user_id: string
  email: string
  first_name: string | null
  last_name: string | null
  can_login: boolean
  can_view_log: boolean
}

/** A log line as the log routes answer it (dates as JSON strings). */
export type LogEntry = Omit<LogEntryDTO, "event_id" | "action" | "actor_type" | "created_at"> & {
  action: string
  actor_type: string
  created_at: string
}
