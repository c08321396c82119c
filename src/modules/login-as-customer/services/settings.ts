import type { Context, ModulesSdkTypes } from "@medusajs/framework/types"
import { InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { SettingsDTO } from "../../../types"
import type Settings from "../models/settings"
import type { PluginOptions, SettingsFields } from "../options"
import { defaultSettings, normalizeStorefronts, SETTINGS_ID, SettingsRow, toSettingsDTO } from "../utils/settings"
import { BaseDependencies, InternalService } from "../utils/internal-service"
import { lockKey, managerOf, ModuleManager } from "../utils/sql"

/** The settings row's columns an admin saves; the lists are jsonb. */
const SETTINGS_COLUMNS = [
  "enabled",
  "disable_page_cache",
  "store_selection",
  "ticket_ttl_seconds",
  "session_ttl_seconds",
  "storefronts",
  "access",
  "consent_mode",
  "require_reason",
  "notify_customer",
  "restricted_actions",
  "log_retention_days",
] as const satisfies ReadonlyArray<keyof SettingsFields>
const JSON_COLUMNS: ReadonlySet<string> = new Set(["storefronts", "restricted_actions"])
// Every settings field is a column above: a field added later fails to compile until it is.
const EVERY_FIELD_SAVED: Exclude<keyof SettingsFields, (typeof SETTINGS_COLUMNS)[number]> extends never ? true : never = true
void EVERY_FIELD_SAVED

type InjectedDependencies = BaseDependencies & {
  loginAsCustomerSettingsService: ModulesSdkTypes.IMedusaInternalService<typeof Settings>
  loginAsCustomerOptions: PluginOptions
}

/** The feature's settings: the one saved row, or the plugin options' defaults until an admin saves. */
export class SettingsService extends InternalService {
  protected readonly rows_: ModulesSdkTypes.IMedusaInternalService<typeof Settings>
  protected readonly options_: PluginOptions

  constructor(dependencies: InjectedDependencies) {
    super(dependencies)
    this.rows_ = dependencies.loginAsCustomerSettingsService
    this.options_ = dependencies.loginAsCustomerOptions
  }

  /** The plugin options, validated. */
  getOptions(): PluginOptions {
    return this.options_
  }

  /** The settings as they would be before any admin saved them. */
  getDefaultSettings(): SettingsDTO {
    return defaultSettings(this.options_)
  }

  /** A stored row (or none) as the settings in force. */
  toSettingsDTO(row: SettingsRow | null | undefined): SettingsDTO {
    const defaults = this.getDefaultSettings()
    return row ? toSettingsDTO(row, defaults) : defaults
  }

  @InjectManager()
  async getSettings(@MedusaContext() sharedContext: Context<ModuleManager> = {}): Promise<SettingsDTO> {
    return this.toSettingsDTO(await this.readRow_(sharedContext))
  }

  @InjectManager()
  async saveSettings(
    update: SettingsFields,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<{ previous: SettingsDTO; current: SettingsDTO }> {
    return await this.saveSettings_(update, sharedContext)
  }

  @InjectTransactionManager()
  protected async saveSettings_(
    update: SettingsFields,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<{ previous: SettingsDTO; current: SettingsDTO }> {
    await lockKey(sharedContext, "settings")
    const row = await this.readRow_(sharedContext)
    const previous = this.toSettingsDTO(row)
    const { updated_at: _ignored, ...base } = previous
    const data = {
      ...base,
      ...update,
      storefronts: update.storefronts ? normalizeStorefronts(update.storefronts) : previous.storefronts,
    }
    if (row) {
      // In SQL, as the row is read (readRow_): the ORM would load it whole first.
      const columns = SETTINGS_COLUMNS.filter((column) => data[column] !== undefined)
      await managerOf(sharedContext).execute(
        `update "login_as_customer_settings"
            set ${columns.map((column) => `"${column}" = ?${JSON_COLUMNS.has(column) ? "::jsonb" : ""}`).join(", ")},
                "updated_at" = now()
          where "id" = ? and "deleted_at" is null`,
        [...columns.map((column) => (JSON_COLUMNS.has(column) ? JSON.stringify(data[column]) : data[column])), SETTINGS_ID]
      )
    } else {
      await this.rows_.create({ id: SETTINGS_ID, ...data }, sharedContext)
      // Written now, so the read below (in SQL) sees it.
      await managerOf(sharedContext).flush()
    }
    // Re-read so database defaults (timestamps) are in what callers get back.
    return { previous, current: this.toSettingsDTO(await this.readRow_(sharedContext)) }
  }

  /** Puts the settings back as they were (workflow compensation). */
  @InjectManager()
  async revertSettings(previous: SettingsDTO, @MedusaContext() sharedContext: Context<ModuleManager> = {}): Promise<void> {
    const { updated_at: _ignored, ...fields } = previous
    await this.saveSettings_(fields, sharedContext)
  }

  /**
   * The saved row, read in SQL: the ORM copies a row whole, and a list in it
   * nested thousands of levels deep by SQL overflowed its stack (every
   * admin's settings and widget answered 500); toSettingsDTO takes such a
   * value as unset.
   */
  protected async readRow_(sharedContext: Context<ModuleManager>): Promise<SettingsRow | null> {
    const [row] = await managerOf(sharedContext).execute<SettingsRow[]>(
      `select * from "login_as_customer_settings" where "id" = ? and "deleted_at" is null limit 1`,
      [SETTINGS_ID]
    )
    return row ?? null
  }
}
