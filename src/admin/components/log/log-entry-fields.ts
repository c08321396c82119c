import type { TFunction } from "i18next"
import { endReasonText } from "../login-as-customer-text"
import { errorKey } from "../../lib/errors"
import { formatDate, formatSeconds, localeTag } from "../../lib/locale"
import type { LogEntry } from "../../lib/types"

/** The reason an admin gave, kept in the details of session and denial lines. */
export function entryReason(entry: LogEntry): string | null {
  const reason = entry.details?.reason
  return typeof reason === "string" && reason.trim() ? reason : null
}

/** How a session ended (`end_reason` of a `session_ended` line), e.g. `admin_logout`. */
export function entryEndReason(entry: LogEntry): string | null {
  const reason = entry.action === "session_ended" ? entry.details?.end_reason : null
  return typeof reason === "string" && reason ? reason : null
}

/** The line's action in words; a session's end says how it ended ("Session ended: the admin logged out"). */
export function entryActionText(t: TFunction, entry: LogEntry): string {
  const action = t(`loginAsCustomer.log.actions.${entry.action}`, { defaultValue: entry.action })
  const endReason = endReasonText(t, entryEndReason(entry))
  return endReason ? `${action}: ${endReason}` : action
}

/** The session's mode (`full` or `read_only`), where the line records one. */
export function entryMode(entry: LogEntry): "full" | "read_only" | null {
  const mode = entry.details?.mode
  return mode === "full" || mode === "read_only" ? mode : null
}

/**
 * Whether the line records a refusal: a store action the session guard
 * refused, or a login that was denied.
 */
export function entryRefused(entry: LogEntry): boolean {
  return (entry.action === "store_action" && entry.details?.outcome === "refused") || entry.action === "login_denied"
}

/**
 * The restricted actions a refused store action was about ("Edit addresses"),
 * by the settings' own labels in the admin's language, or null.
 */
export function entryRestrictedActionsText(t: TFunction, entry: LogEntry): string | null {
  const actions = entry.action === "store_action" ? entry.details?.restricted_actions : null
  if (!Array.isArray(actions) || !actions.length) return null
  return actions
    .filter((action): action is string => typeof action === "string" && action !== "")
    .map((action) => t(`loginAsCustomer.settings.action_${action}`, { defaultValue: action }))
    .join(", ") || null
}

/** Why it was refused, in the admin's language (the code's message), or null. */
export function entryRefusalText(t: TFunction, entry: LogEntry): string | null {
  if (!entryRefused(entry)) return null
  const code = entry.details?.code
  return t(errorKey({ code: typeof code === "string" ? code : undefined, status: 403 }))
}

/** Who did it: "Admin", "Customer" or "System", in the admin's language. */
export function actorTypeText(t: TFunction, actorType: string | null | undefined): string {
  if (actorType === "user") return t("loginAsCustomer.log.admin")
  if (actorType === "customer") return t("loginAsCustomer.log.customer")
  return t("loginAsCustomer.log.fields.system")
}

/** The parts of a value that say something, for joining ("Admin", "admin@example.com", "user_1"): no empty or blank ones. */
export function parts(...values: Array<string | null | undefined>): string[] {
  return values.filter((value): value is string => typeof value === "string" && value.trim() !== "")
}

export type EntryField = { id: string; label: string; value: string }

/** Settings as the settings page names them, by the key a settings_updated line records. */
const SETTING_LABELS: Record<string, string> = {
  enabled: "enabled",
  disable_page_cache: "disablePageCache",
  store_selection: "storeSelection",
  ticket_ttl_seconds: "ticketTtl",
  session_ttl_seconds: "sessionTtl",
  storefronts: "storefronts",
  access: "access",
  consent_mode: "consentMode",
  require_reason: "requireReason",
  notify_customer: "notifyCustomer",
  restricted_actions: "restrictedActions",
}

const str = (value: unknown): string | null => (typeof value === "string" && value ? value : null)
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null)

/**
 * An entry's details as labelled fields in the admin's language: what each
 * kind of line records, its values in words (dates, yes/no, modes), never raw
 * JSON. Values render as text, whatever they contain.
 */
export function entryDetailFields(
  t: TFunction,
  entry: LogEntry,
  language: string | undefined,
  /** Storefront names by id, from the settings, where the admin may read them. */
  storefrontNames: Record<string, string> = {}
): EntryField[] {
  const d = (entry.details ?? {}) as Record<string, unknown>
  const fields: EntryField[] = []
  const add = (id: string, label: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined && value !== "") fields.push({ id, label, value })
  }
  const yesNo = (value: unknown) =>
    typeof value === "boolean" ? t(value ? "loginAsCustomer.settings.yes" : "loginAsCustomer.settings.no") : null
  /** A storefront by its name in the settings, else its id (since removed, or settings not readable). */
  const storefront = (value: unknown) => (str(value) ? storefrontNames[str(value)!] || str(value) : null)
  const date = (value: unknown) => (str(value) ? formatDate(str(value), language) : null)
  /** A setting's value in words where it has some. */
  const setting = (key: string, value: unknown): string => {
    if (typeof value === "boolean") return yesNo(value)!
    if (value === null || value === undefined) return "—"
    if (key.endsWith("_seconds") && num(value) !== null) return formatSeconds(num(value)!, language)
    if (key === "access" || key === "store_selection") {
      const word = key === "store_selection" && value !== "manual" ? "auto" : String(value)
      return t(`loginAsCustomer.settings.${word}`, { defaultValue: String(value) })
    }
    if (key === "consent_mode") return t(`loginAsCustomer.settings.consent_${value}`, { defaultValue: String(value) })
    if (key === "restricted_actions" && Array.isArray(value)) {
      return value.map((action) => t(`loginAsCustomer.settings.action_${action}`, { defaultValue: String(action) })).join(", ") || "—"
    }
    if (key === "storefronts" && Array.isArray(value)) {
      return value.map((s) => str((s as { name?: unknown })?.name) ?? "?").join(", ") || "—"
    }
    return typeof value === "object" ? JSON.stringify(value) : String(value)
  }

  switch (entry.action) {
    case "store_action": {
      // Only what the line says: one written by SQL without an outcome is neither.
      const outcome = entryRefused(entry) ? "loginAsCustomer.log.refused" : d.outcome === "allowed" ? "loginAsCustomer.settings.allowed" : null
      add("outcome", t("loginAsCustomer.log.fields.outcome"), outcome && t(outcome))
      add("refusal", t("loginAsCustomer.log.fields.refusal"), entryRefusalText(t, entry))
      add("restricted", t("loginAsCustomer.log.fields.restrictedAction"), entryRestrictedActionsText(t, entry))
      const request = [str(d.method), str(d.path) ?? str(d.route)].filter(Boolean).join(" ")
      add("request", t("loginAsCustomer.log.fields.request"), [request, num(d.status)].filter(Boolean).join(" · "))
      break
    }
    case "login_denied":
      add("refusal", t("loginAsCustomer.log.fields.refusal"), entryRefusalText(t, entry))
      add("storefront", t("loginAsCustomer.dialog.storefront"), storefront(d.storefront_id))
      add("order", t("loginAsCustomer.log.fields.order"), str(d.order_id))
      break
    case "ticket_issued":
    case "session_started":
    case "session_ended":
      add("storefront", t("loginAsCustomer.dialog.storefront"), storefront(d.storefront_id))
      add("order", t("loginAsCustomer.log.fields.order"), str((d.context as { order_id?: unknown } | null)?.order_id))
      add("started", t("loginAsCustomer.log.fields.started"), date(d.started_at))
      add("expires", t("loginAsCustomer.log.fields.expires"), date(d.expires_at))
      add("ended", t("loginAsCustomer.log.fields.ended"), date(d.ended_at))
      break
    case "assistance_updated": {
      const state = (allowed: unknown, until: unknown) =>
        typeof allowed === "boolean"
          ? [t(allowed ? "loginAsCustomer.consent.allowed" : "loginAsCustomer.consent.notAllowed"), str(until) ? t("loginAsCustomer.consent.until", { date: date(until) }) : null]
              .filter(Boolean)
              .join(" ")
          : null
      const previous = (d.previous ?? null) as { allowed?: unknown; expires_at?: unknown } | null
      add("before", t("loginAsCustomer.log.fields.before"), previous ? state(previous.allowed, previous.expires_at) : null)
      add("after", t("loginAsCustomer.log.fields.after"), state(d.allowed, d.expires_at))
      break
    }
    case "settings_updated": {
      const changes = (d.changes ?? {}) as Record<string, { from?: unknown; to?: unknown }>
      for (const [key, change] of Object.entries(changes)) {
        const label = SETTING_LABELS[key] ? t(`loginAsCustomer.settings.${SETTING_LABELS[key]}`) : key
        add(`setting-${key}`, label, `${setting(key, change?.from)} → ${setting(key, change?.to)}`)
      }
      break
    }
    case "grant_updated":
      add("grantee", t("loginAsCustomer.settings.grants"), str(d.grantee_id))
      add("can_login", t("loginAsCustomer.settings.canLogin"), yesNo(d.can_login))
      add("can_view_log", t("loginAsCustomer.settings.canViewLog"), yesNo(d.can_view_log))
      break
    case "order_placed": {
      const total =
        num(d.total) !== null && str(d.currency_code)
          ? (() => {
              try {
                return new Intl.NumberFormat(localeTag(language), {
                  style: "currency",
                  currency: String(d.currency_code).toUpperCase(),
                }).format(num(d.total)!)
              } catch {
                return `${d.total} ${d.currency_code}`
              }
            })()
          : null
      add("order", t("loginAsCustomer.log.fields.order"), [num(d.display_id) !== null ? `#${d.display_id}` : str(d.order_id), total].filter(Boolean).join(" · "))
      break
    }
    case "exchange_limit_tripped":
      add("max_failures", t("loginAsCustomer.log.fields.maxFailures"), num(d.max_failures)?.toString())
      add("window", t("loginAsCustomer.log.fields.window"), num(d.window_seconds) !== null ? formatSeconds(num(d.window_seconds)!, language) : null)
      add("until", t("loginAsCustomer.log.fields.blockedUntil"), date(d.until))
      add("client_address", t("loginAsCustomer.log.fields.clientAddress"), str(d.client_address))
      break
    case "storefront_origins_changed": {
      const list = (value: unknown) => (Array.isArray(value) ? value.join(", ") || "—" : value === null ? "—" : null)
      add("before", t("loginAsCustomer.log.fields.before"), list(d.from))
      add("after", t("loginAsCustomer.log.fields.after"), list(d.to))
      break
    }
  }
  return fields
}

