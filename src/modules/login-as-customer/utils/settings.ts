import type { SettingsDTO, StorefrontDTO } from "../../../types"
import { PluginOptions, SETTINGS_DEFAULTS, SettingsFields, settingsFieldsSchema, storefrontSchema } from "../options"

/** The settings row's fixed id: the feature has exactly one settings record. */
export const SETTINGS_ID = "lacset_default"

/** The settings row as stored: the json lists are whatever the column holds. */
export type SettingsRow = Omit<SettingsDTO, "updated_at" | "storefronts" | "restricted_actions"> & {
  id?: string
  storefronts: unknown
  restricted_actions: unknown
  updated_at?: Date | string | null
}

/**
 * Gives storefront entries without an id a stable one derived from the name,
 * unique within the list.
 */
export function normalizeStorefronts(
  list: Array<Partial<StorefrontDTO> & { name: string; login_url: string }>
): StorefrontDTO[] {
  const taken = new Set(list.map((s) => s.id).filter(Boolean) as string[])
  return list.map((storefront) => {
    let id = storefront.id
    if (!id) {
      const base =
        storefront.name
          .toLowerCase()
          .normalize("NFKD")
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-+|-+$/g, "")
          .slice(0, 48) || "storefront"
      id = base
      for (let n = 2; taken.has(id); n++) {
        id = `${base}-${n}`
      }
      taken.add(id)
    }
    return {
      id,
      name: storefront.name,
      sales_channel_id: storefront.sales_channel_id ?? null,
      login_url: storefront.login_url,
    }
  })
}

/** The settings as they would be before any admin saved them. */
export function defaultSettings(options: PluginOptions): SettingsDTO {
  const { notification_template, notification_channel, exchange_rate_limit, client_address, storefront_origins, log_key, ...fromOptions } =
    options
  return {
    ...SETTINGS_DEFAULTS,
    ...fromOptions,
    storefronts: normalizeStorefronts(fromOptions.storefronts ?? SETTINGS_DEFAULTS.storefronts),
    restricted_actions: fromOptions.restricted_actions ?? [...SETTINGS_DEFAULTS.restricted_actions],
    updated_at: null,
  }
}

/**
 * A stored value as the setting in force: one the settings' own schema
 * refuses (the app never saves one: a row changed by SQL, e.g. a negative
 * session lifetime, a retention of two billion days, `[null]` for the
 * restricted actions) gives the default instead, as if it were unset.
 */
function stored<K extends Exclude<keyof SettingsFields, "storefronts">>(field: K, value: unknown, defaults: SettingsDTO): SettingsDTO[K] {
  const parsed = settingsFieldsSchema.shape[field].safeParse(value)
  return (parsed.success && parsed.data !== undefined ? parsed.data : defaults[field]) as SettingsDTO[K]
}

/** A stored row as the settings in force; a value the settings' schema refuses comes from the defaults. */
export function toSettingsDTO(row: SettingsRow, defaults: SettingsDTO): SettingsDTO {
  return {
    enabled: stored("enabled", row.enabled, defaults),
    disable_page_cache: stored("disable_page_cache", row.disable_page_cache, defaults),
    store_selection: stored("store_selection", row.store_selection, defaults),
    ticket_ttl_seconds: stored("ticket_ttl_seconds", row.ticket_ttl_seconds, defaults),
    session_ttl_seconds: stored("session_ttl_seconds", row.session_ttl_seconds, defaults),
    // Each as saved (its origin is checked against the allowed ones before any ticket is sent); one that isn't a storefront is left out.
    storefronts: Array.isArray(row.storefronts)
      ? (row.storefronts as StorefrontDTO[]).filter((entry) => typeof entry?.id === "string" && storefrontSchema.safeParse(entry).success)
      : defaults.storefronts,
    access: stored("access", row.access, defaults),
    consent_mode: stored("consent_mode", row.consent_mode, defaults),
    require_reason: stored("require_reason", row.require_reason, defaults),
    notify_customer: stored("notify_customer", row.notify_customer, defaults),
    restricted_actions: stored("restricted_actions", row.restricted_actions, defaults),
    log_retention_days: stored("log_retention_days", row.log_retention_days ?? null, defaults),
    updated_at: row.updated_at ?? null,
  }
}
