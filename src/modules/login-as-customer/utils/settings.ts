import type { SettingsDTO, StorefrontDTO } from "../../../types"
import { PluginOptions, SETTINGS_DEFAULTS } from "../options"

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

/** A stored row as the settings in force; a list the column doesn't hold comes from the defaults. */
export function toSettingsDTO(row: SettingsRow, defaults: SettingsDTO): SettingsDTO {
  return {
    enabled: row.enabled,
    disable_page_cache: row.disable_page_cache,
    store_selection: row.store_selection,
    ticket_ttl_seconds: row.ticket_ttl_seconds,
    session_ttl_seconds: row.session_ttl_seconds,
    storefronts: Array.isArray(row.storefronts) ? row.storefronts : defaults.storefronts,
    access: row.access,
    consent_mode: row.consent_mode,
    require_reason: row.require_reason,
    notify_customer: row.notify_customer,
    restricted_actions: Array.isArray(row.restricted_actions) ? row.restricted_actions : defaults.restricted_actions,
    log_retention_days: row.log_retention_days ?? null,
    updated_at: row.updated_at ?? null,
  }
}
