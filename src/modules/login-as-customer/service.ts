import type { Context } from "@medusajs/framework/types"
import {
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  generateEntityId,
  MedusaService,
} from "@medusajs/framework/utils"
import type {
  RemoteAssistanceDTO,
  SettingsDTO,
  StorefrontDTO,
} from "../../types"
import AdminGrant from "./models/admin-grant"
import LogEntry from "./models/log-entry"
import RemoteAssistance from "./models/remote-assistance"
import Session from "./models/session"
import Settings from "./models/settings"
import Ticket from "./models/ticket"
import {
  parsePluginOptions,
  PluginOptions,
  SETTINGS_DEFAULTS,
  SettingsFields,
} from "./options"

/** The settings row's fixed id: the feature has exactly one settings record. */
export const SETTINGS_ID = "lacset_default"

type SettingsRecord = Omit<SettingsDTO, "updated_at"> & {
  id?: string
  updated_at?: Date | string | null
}

export type SetRemoteAssistanceInput = {
  customer_id: string
  allowed: boolean
  expires_at: Date | null
  updated_by_type: "customer" | "user"
  updated_by_id: string
}

export type RecordLogEntryInput = {
  event_id?: string | null
  action: string
  actor_type: "user" | "customer" | "system"
  actor_id?: string | null
  user_id?: string | null
  user_email?: string | null
  customer_id?: string | null
  customer_email?: string | null
  session_id?: string | null
  details?: Record<string, unknown> | null
}

type InjectedDependencies = Record<string, unknown>

/** The slice of MikroORM's entity manager used for statements the DSL can't express. */
type SqlExecutor = { execute: (sql: string, params?: unknown[]) => Promise<unknown> }

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

/** The Login as Customer module's service. */
export default class LoginAsCustomerModuleService extends MedusaService({
  RemoteAssistance,
  // Keys match the models' names, which query.graph uses to find the methods.
  LoginAsCustomerSettings: Settings,
  LoginAsCustomerAdminGrant: AdminGrant,
  LoginAsCustomerTicket: Ticket,
  LoginAsCustomerSession: Session,
  LoginAsCustomerLogEntry: LogEntry,
}) {
  protected readonly options_: PluginOptions

  constructor(container: InjectedDependencies, options?: unknown) {
    // eslint-disable-next-line prefer-rest-params
    super(...(arguments as unknown as [InjectedDependencies]))
    this.options_ = parsePluginOptions(options)
  }

  /** The plugin options, validated. */
  getOptions(): PluginOptions {
    return this.options_
  }

  /** The settings as they would be before any admin saved them. */
  getDefaultSettings(): SettingsDTO {
    const { notification_template, notification_channel, ...fromOptions } =
      this.options_
    return {
      ...SETTINGS_DEFAULTS,
      ...fromOptions,
      storefronts: normalizeStorefronts(
        fromOptions.storefronts ?? SETTINGS_DEFAULTS.storefronts
      ),
      restricted_actions:
        fromOptions.restricted_actions ?? [...SETTINGS_DEFAULTS.restricted_actions],
      updated_at: null,
    }
  }

  /** The settings in force: the saved row, or the option defaults. */
  @InjectManager()
  async getSettings(@MedusaContext() sharedContext: Context = {}): Promise<SettingsDTO> {
    const [row] = await this.listLoginAsCustomerSettings(
      { id: SETTINGS_ID },
      { take: 1 },
      sharedContext
    )
    return row ? this.toSettingsDTO(row as unknown as SettingsRecord) : this.getDefaultSettings()
  }

  /**
   * Applies a partial settings update, creating the row on first save.
   * Returns the settings before and after.
   */
  @InjectManager()
  async saveSettings(
    update: SettingsFields,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ previous: SettingsDTO; current: SettingsDTO }> {
    return await this.saveSettings_(update, sharedContext)
  }

  @InjectTransactionManager()
  protected async saveSettings_(
    update: SettingsFields,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ previous: SettingsDTO; current: SettingsDTO }> {
    await this.lock_("settings", sharedContext)
    const [row] = await this.listLoginAsCustomerSettings({ id: SETTINGS_ID }, { take: 1 }, sharedContext)
    const previous = row
      ? this.toSettingsDTO(row as unknown as SettingsRecord)
      : this.getDefaultSettings()

    const { updated_at: _ignored, ...base } = previous
    const next = {
      ...base,
      ...update,
      storefronts: update.storefronts
        ? normalizeStorefronts(update.storefronts)
        : previous.storefronts,
    }

    // json columns are typed as objects; the lists are stored as JSON arrays.
    const data = {
      ...next,
      storefronts: next.storefronts as unknown as Record<string, unknown>,
      restricted_actions: next.restricted_actions as unknown as Record<string, unknown>,
    }
    const saved = row
      ? await this.updateLoginAsCustomerSettings({ id: SETTINGS_ID, ...data }, sharedContext)
      : await this.createLoginAsCustomerSettings([{ id: SETTINGS_ID, ...data }], sharedContext).then(
          ([created]) => created
        )

    const current = await this.retrieveLoginAsCustomerSettings(saved.id, {}, sharedContext)
    return {
      previous,
      current: this.toSettingsDTO(current as unknown as SettingsRecord),
    }
  }

  /** Puts the settings back as they were (workflow compensation). */
  @InjectManager()
  async revertSettings(
    previous: SettingsDTO,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const { updated_at: _ignored, ...fields } = previous
    await this.saveSettings_(fields as SettingsFields, sharedContext)
  }

  /** The customer's consent record, or null when the customer never set one. */
  @InjectManager()
  async getRemoteAssistance(
    customerId: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<RemoteAssistanceDTO | null> {
    const [row] = await this.listRemoteAssistances(
      { customer_id: customerId },
      { take: 1 },
      sharedContext
    )
    return (row as unknown as RemoteAssistanceDTO) ?? null
  }

  /**
   * Sets a customer's consent, creating the record on first use. Serialized per
   * customer so concurrent changes can't lose one another.
   */
  @InjectManager()
  async setRemoteAssistance(
    input: SetRemoteAssistanceInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ previous: RemoteAssistanceDTO | null; current: RemoteAssistanceDTO }> {
    return await this.setRemoteAssistance_(input, sharedContext)
  }

  @InjectTransactionManager()
  protected async setRemoteAssistance_(
    input: SetRemoteAssistanceInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ previous: RemoteAssistanceDTO | null; current: RemoteAssistanceDTO }> {
    await this.lock_(`consent:${input.customer_id}`, sharedContext)
    const [row] = await this.listRemoteAssistances(
      { customer_id: input.customer_id },
      { take: 1 },
      sharedContext
    )
    const previous = (row as unknown as RemoteAssistanceDTO) ?? null
    const data = {
      allowed: input.allowed,
      expires_at: input.allowed ? input.expires_at : null,
      updated_by_type: input.updated_by_type,
      updated_by_id: input.updated_by_id,
    }
    const written = previous
      ? await this.updateRemoteAssistances({ id: previous.id, ...data }, sharedContext)
      : await this.createRemoteAssistances(
          { customer_id: input.customer_id, ...data },
          sharedContext
        )
    // Re-read so database defaults (timestamps) are in what callers get back.
    const current = await this.retrieveRemoteAssistance(written.id, {}, sharedContext)
    return {
      previous: previous ? { ...previous } : null,
      current: current as unknown as RemoteAssistanceDTO,
    }
  }

  /**
   * Appends a log line. With an `event_id`, a second write of the same event is
   * a no-op (one atomic insert against a unique index), so a retried or
   * doubly delivered event never doubles a line. Returns whether a row was written.
   */
  @InjectManager()
  async recordLogEntry(
    input: RecordLogEntryInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const manager = sharedContext.manager as SqlExecutor
    const rows = (await manager.execute(
      `insert into "login_as_customer_log_entry"
         ("id", "event_id", "action", "actor_type", "actor_id", "user_id", "user_email",
          "customer_id", "customer_email", "session_id", "details")
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
       on conflict ("event_id") where event_id IS NOT NULL AND deleted_at IS NULL do nothing
       returning "id"`,
      [
        generateEntityId(undefined, "lacl"),
        input.event_id ?? null,
        input.action,
        input.actor_type,
        input.actor_id ?? null,
        input.user_id ?? null,
        input.user_email ?? null,
        input.customer_id ?? null,
        input.customer_email ?? null,
        input.session_id ?? null,
        input.details == null ? null : JSON.stringify(input.details),
      ]
    )) as unknown[]
    return rows.length > 0
  }

  /** A transaction-scoped advisory lock: serializes read-then-write on one key. */
  protected async lock_(key: string, sharedContext: Context): Promise<void> {
    const manager = sharedContext.transactionManager as SqlExecutor
    await manager.execute("select pg_advisory_xact_lock(hashtext(?))", [
      `login_as_customer:${key}`,
    ])
  }

  protected toSettingsDTO(row: SettingsRecord): SettingsDTO {
    const defaults = this.getDefaultSettings()
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
      restricted_actions: Array.isArray(row.restricted_actions)
        ? row.restricted_actions
        : defaults.restricted_actions,
      updated_at: row.updated_at ?? null,
    }
  }
}
