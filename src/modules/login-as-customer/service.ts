import type { Context } from "@medusajs/framework/types"
import {
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  generateEntityId,
  MedusaService,
} from "@medusajs/framework/utils"
import { csvExportLine, type ExportRow } from "../../lib/csv"
import { createHash, randomBytes } from "crypto"
import type {
  AdminGrantDTO,
  EndReason,
  LogEntryDTO,
  LogFilter,
  RemoteAssistanceDTO,
  SessionDTO,
  SessionMode,
  SettingsDTO,
  StorefrontDTO,
} from "../../types"
import AdminGrant from "./models/admin-grant"
import LogEntry from "./models/log-entry"
import RemoteAssistance from "./models/remote-assistance"
import Session from "./models/session"
import SessionCart from "./models/session-cart"
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

export type StartSessionInput = {
  user_id: string
  customer_id: string
  storefront_id: string | null
  context: Record<string, unknown> | null
  reason: string | null
  mode: SessionMode
  ticket_ttl_seconds: number
}

export type StartSessionResult = {
  session: SessionDTO
  /** The ticket's secret: returned once, never stored. */
  ticket: string
  ticket_expires_at: Date
  /** The admin's earlier sessions this one ended. */
  superseded: SessionDTO[]
}

export type EndSessionsFilter = {
  id?: string | string[]
  user_id?: string | string[]
  customer_id?: string | string[]
  /** Only sessions whose time has run out. */
  expired_only?: boolean
  /** Required to end every open session (the feature being switched off). */
  all?: boolean
}

export type SessionState = {
  session: SessionDTO
  consent: RemoteAssistanceDTO | null
  settings: SettingsDTO
  grant: { can_login: boolean; can_view_log: boolean } | null
  /**
   * Whether the session's admin is still a (not deleted) Medusa user, read in
   * the same query from the user module's table; null when that table is not
   * in this database (then the caller asks the user module).
   */
  admin_exists: boolean | null
}

export type LogCursor = { created_at: string; id: string }

/** A log row as the list and the export read it. */
export type LogEntryRow = Omit<LogEntryDTO, "event_id">

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/**
 * The searched columns joined into one text, the expression the trigram index
 * `IDX_login_as_customer_log_entry_search_trgm` is built on (keep them equal:
 * migration Migration20261201005501): emails, action, ids and the reason
 * (where a ticket reference is).
 */
export const LOG_SEARCH_TEXT = `(coalesce("user_email", '') || ' ' || coalesce("customer_email", '') || ' ' || "action" || ' ' || coalesce("session_id", '') || ' ' || coalesce("customer_id", '') || ' ' || coalesce("user_id", '') || ' ' || coalesce("details" ->> 'reason', ''))`
const SEARCHED = [`"user_email"`, `"customer_email"`, `"action"`, `"session_id"`, `"customer_id"`, `"user_id"`, `("details" ->> 'reason')`]

/** Up to this many matches, the log list's `count` is exact; past it, an estimate. */
export const LOG_COUNT_EXACT_UP_TO = 10_000
/**
 * A text search first looks for its page among the newest this-many rows that
 * match the other filters (one index walk, whatever the text); only when
 * they hold too few matches does it use the trigram index.
 */
const SEARCH_WINDOW = 2_000

/**
 * `"column" = ?` for one value, `"column" in (?, …)` for several: PostgreSQL
 * reads the list as `= any(array[…])`, and either walks the column's index.
 */
function oneOf(column: string, values: string | string[] | undefined): { sql: string; params: string[] } | null {
  const list = values === undefined ? [] : [...new Set(Array.isArray(values) ? values : [values])]
  if (!list.length) {
    return null
  }
  return list.length === 1
    ? { sql: `"${column}" = ?`, params: list }
    : { sql: `"${column}" in (${list.map(() => "?").join(", ")})`, params: list }
}

/**
 * The text filter `q`: a literal, case-insensitive substring of one of the
 * searched columns. The joined text is matched first (the trigram index
 * answers it), then each column exactly: a match spanning two columns in the
 * joined text is not a match. Lines of the admins and customers found by
 * name (`q_user_ids`, `q_customer_ids`) match too, through their columns'
 * indexes.
 */
function searchCondition(filter: LogFilter): { sql: string; params: unknown[] } {
  const pattern = `%${escapeLike(filter.q!)}%`
  const any = [
    { sql: `(${LOG_SEARCH_TEXT} ilike ? and (${SEARCHED.map((c) => `${c} ilike ?`).join(" or ")}))`, params: [pattern, ...SEARCHED.map(() => pattern)] },
    oneOf("user_id", filter.q_user_ids),
    oneOf("customer_id", filter.q_customer_ids),
  ].filter((part): part is { sql: string; params: string[] } => part !== null)
  return {
    sql: `(${any.map((part) => part.sql).join(" or ")})`,
    params: any.flatMap((part) => part.params),
  }
}

/** The log filter as SQL conditions with bound parameters (never interpolated). */
function logWhere(filter: LogFilter, options: { search?: boolean } = {}): { where: string[]; params: unknown[] } {
  const where = [`"deleted_at" is null`]
  const params: unknown[] = []
  for (const column of ["action", "user_id", "customer_id", "session_id"] as const) {
    const condition = oneOf(column, filter[column])
    if (condition) {
      where.push(condition.sql)
      params.push(...condition.params)
    }
  }
  if (filter.created_at?.gte) {
    where.push(`"created_at" >= ?`)
    params.push(new Date(filter.created_at.gte))
  }
  if (filter.created_at?.lte) {
    where.push(`"created_at" <= ?`)
    params.push(new Date(filter.created_at.lte))
  }
  if (filter.q && options.search !== false) {
    const search = searchCondition(filter)
    where.push(search.sql)
    params.push(...search.params)
  }
  return { where, params }
}

const LOG_COLUMNS = `"id", "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id",
              "customer_email", "session_id", "details", "created_at",
              "created_at"::text as "cursor_created_at"`


/** The planner's estimate of how many rows a query returns (from `EXPLAIN`, nothing executed). */
async function estimateRows(manager: SqlExecutor, sql: string, params: unknown[]): Promise<number> {
  const [row] = (await manager.execute(`explain (format json) ${sql}`, params)) as Array<Record<string, unknown>>
  const raw = row?.["QUERY PLAN"]
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as Array<{ Plan: { "Plan Rows": number } }>
  return Math.round(plan?.[0]?.Plan?.["Plan Rows"] ?? 0)
}

/** A ticket is looked up by the sha256 of its secret. */
export function hashTicket(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex")
}

type InjectedDependencies = Record<string, unknown>

/** The slice of MikroORM's entity manager used for statements the DSL can't express. */
type SqlExecutor = { execute: (sql: string, params?: unknown[]) => Promise<unknown> }
/** The slice of knex used by sqlExecutor_. */
type KnexLike = { raw: (sql: string, bindings: never[]) => Promise<{ rows: unknown[] }> }

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
  LoginAsCustomerSessionCart: SessionCart,
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
    const { notification_template, notification_channel, exchange_rate_limit, client_address, storefront_origins, ...fromOptions } =
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

  /**
   * Opens a pending session for the admin with a one-time ticket, superseding
   * the admin's other sessions (one active session per admin). Returns the
   * ticket's secret once; only its sha256 is stored.
   */
  @InjectManager()
  async startSession(
    input: StartSessionInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<StartSessionResult> {
    return await this.startSession_(input, sharedContext)
  }

  @InjectTransactionManager()
  protected async startSession_(
    input: StartSessionInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<StartSessionResult> {
    await this.lock_(`admin:${input.user_id}`, sharedContext)
    const superseded = await this.endSessions_({ user_id: input.user_id }, "superseded", sharedContext)

    const ticketExpiresAt = new Date(Date.now() + input.ticket_ttl_seconds * 1000)
    const [session] = await this.createLoginAsCustomerSessions(
      [
        {
          user_id: input.user_id,
          customer_id: input.customer_id,
          storefront_id: input.storefront_id,
          context: input.context,
          reason: input.reason,
          mode: input.mode,
          // Until the ticket is exchanged, the session lives as long as its ticket.
          expires_at: ticketExpiresAt,
        },
      ],
      sharedContext
    )
    const secret = randomBytes(32).toString("base64url")
    await this.createLoginAsCustomerTickets(
      [
        {
          token_hash: hashTicket(secret),
          user_id: input.user_id,
          customer_id: input.customer_id,
          storefront_id: input.storefront_id,
          session_id: session.id,
          expires_at: ticketExpiresAt,
        },
      ],
      sharedContext
    )
    return {
      session: session as unknown as SessionDTO,
      ticket: secret,
      ticket_expires_at: ticketExpiresAt,
      superseded,
    }
  }

  /**
   * Consumes a ticket and starts its session, atomically: of any number of
   * concurrent exchanges of one ticket exactly one succeeds. Returns null for
   * an unknown, used or expired ticket, or a session that ended meanwhile.
   */
  @InjectManager()
  async exchangeTicket(
    secret: string,
    sessionTtlSeconds: number,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<SessionDTO | null> {
    return await this.exchangeTicket_(secret, sessionTtlSeconds, sharedContext)
  }

  @InjectTransactionManager()
  protected async exchangeTicket_(
    secret: string,
    sessionTtlSeconds: number,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<SessionDTO | null> {
    const manager = sharedContext.transactionManager as SqlExecutor
    const tickets = (await manager.execute(
      `update "login_as_customer_ticket"
          set "consumed_at" = now(), "updated_at" = now()
        where "token_hash" = ? and "consumed_at" is null and "expires_at" > now()
          and "deleted_at" is null
        returning "session_id"`,
      [hashTicket(secret)]
    )) as Array<{ session_id: string }>
    if (!tickets.length) {
      return null
    }
    const sessions = (await manager.execute(
      `update "login_as_customer_session"
          set "started_at" = now(),
              "expires_at" = now() + make_interval(secs => ?),
              "updated_at" = now()
        where "id" = ? and "started_at" is null and "ended_at" is null
          and "deleted_at" is null
        returning *`,
      [sessionTtlSeconds, tickets[0].session_id]
    )) as SessionDTO[]
    return sessions[0] ?? null
  }

  /** Marks a ticket used without starting its session (a refused exchange). */
  @InjectManager()
  async burnTicket(secret: string, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    const manager = sharedContext.manager as SqlExecutor
    await manager.execute(
      `update "login_as_customer_ticket" set "consumed_at" = now(), "updated_at" = now()
        where "token_hash" = ? and "consumed_at" is null`,
      [hashTicket(secret)]
    )
  }

  /**
   * Ends the matching open sessions with `reason` (or `expired` for those whose
   * time had already run out). Each session is ended by exactly one caller:
   * the returned rows are the ones this call ended.
   */
  @InjectManager()
  async endSessions(
    filter: EndSessionsFilter,
    reason: EndReason,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<SessionDTO[]> {
    return await this.endSessions_(filter, reason, sharedContext)
  }

  @InjectTransactionManager()
  protected async endSessions_(
    filter: EndSessionsFilter,
    reason: EndReason,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<SessionDTO[]> {
    const clauses: string[] = []
    const params: unknown[] = [reason]
    for (const column of ["id", "user_id", "customer_id"] as const) {
      const value = filter[column]
      if (value === undefined) continue
      const values = Array.isArray(value) ? value : [value]
      if (!values.length) return []
      clauses.push(`"${column}" in (${values.map(() => "?").join(", ")})`)
      params.push(...values)
    }
    if (filter.expired_only) {
      clauses.push(`"expires_at" <= now()`)
    }
    if (!clauses.length) {
      // Ending every session needs to be asked for by name, not by omission.
      if (!filter.all) return []
    }
    const manager = sharedContext.transactionManager as SqlExecutor
    return (await manager.execute(
      `update "login_as_customer_session"
          set "ended_at" = now(),
              "end_reason" = case when "expires_at" <= now() then 'expired' else ? end,
              "updated_at" = now()
        where "ended_at" is null and "deleted_at" is null
          ${clauses.map((c) => `and ${c}`).join(" ")}
        returning *`,
      params
    )) as SessionDTO[]
  }

  /**
   * Runs SQL on the module's connection pool without forking an entity
   * manager: MikroORM's `getKnex()` of the module's `manager`.
   */
  protected sqlExecutor_(): SqlExecutor {
    const manager = (this as unknown as { __container__?: { manager?: { getKnex?: () => KnexLike } } }).__container__
      ?.manager
    const knex = manager?.getKnex?.()
    if (!knex) {
      throw new Error("Login as Customer: the module has no database connection")
    }
    return { execute: async (sql, params = []) => (await knex.raw(sql, params as never[])).rows }
  }

  /** False once the user module's table turned out not to be in this database. */
  protected userTableShared_ = true

  /**
   * Everything needed to decide whether an impersonation session may go on,
   * in one query (one round trip per store request in a session): the
   * session, the customer's consent, the settings row, the admin's grant and
   * whether the admin still exists. The last one reads the user module's
   * `user` table, which lives in the same database unless the user module
   * was given its own; then it is left null for the caller to ask the module.
   */
  async getSessionState(sessionId: string, sharedContext: Context = {}): Promise<SessionState | null> {
    // Straight to the connection pool when no transaction is given: this runs
    // on every store request in a session, and needs no entity manager.
    const manager =
      ((sharedContext.transactionManager ?? sharedContext.manager) as SqlExecutor | undefined) ?? this.sqlExecutor_()
    const read = (withUser: boolean) =>
      manager.execute(
        `select row_to_json(s.*) as session,
                row_to_json(ra.*) as consent,
                row_to_json(st.*) as settings,
                row_to_json(g.*) as admin_grant,
                ${withUser ? `exists (select 1 from "user" u where u."id" = s."user_id" and u."deleted_at" is null)` : "null::boolean"} as admin_exists
           from "login_as_customer_session" s
           left join "login_as_customer_remote_assistance" ra
             on ra."customer_id" = s."customer_id" and ra."deleted_at" is null
           left join "login_as_customer_settings" st
             on st."id" = ? and st."deleted_at" is null
           left join "login_as_customer_admin_grant" g
             on g."user_id" = s."user_id" and g."deleted_at" is null
          where s."id" = ? and s."deleted_at" is null`,
        [SETTINGS_ID, sessionId]
      ) as Promise<
        Array<{
          session: SessionDTO
          consent: RemoteAssistanceDTO | null
          settings: SettingsRecord | null
          admin_grant: { can_login: boolean; can_view_log: boolean } | null
          admin_exists: boolean | null
        }>
      >
    let rows: Awaited<ReturnType<typeof read>>
    try {
      rows = await read(this.userTableShared_)
    } catch (error) {
      // 42P01: no "user" table here (the user module has a database of its own).
      if (!this.userTableShared_ || (error as { code?: string }).code !== "42P01") {
        throw error
      }
      this.userTableShared_ = false
      rows = await read(false)
    }
    const row = rows[0]
    if (!row) {
      return null
    }
    return {
      session: row.session,
      consent: row.consent,
      settings: row.settings ? this.toSettingsDTO(row.settings) : this.getDefaultSettings(),
      grant: row.admin_grant,
      admin_exists: typeof row.admin_exists === "boolean" ? row.admin_exists : null,
    }
  }

  /**
   * Records that a session changed a cart, once per cart and session (a repeat
   * or a concurrent twin changes nothing). Its time is the database's, like the
   * session's start and end it is compared with. Returns the new row's id, or
   * null when the pair was already recorded.
   */
  @InjectManager()
  async recordSessionCart(
    input: { session_id: string; cart_id: string; customer_id: string; user_id: string },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<string | null> {
    const manager = sharedContext.manager as SqlExecutor
    const rows = (await manager.execute(
      `insert into "login_as_customer_session_cart" ("id", "session_id", "cart_id", "customer_id", "user_id")
       values (?, ?, ?, ?, ?)
       on conflict ("cart_id", "session_id") where "deleted_at" is null do nothing
       returning "id"`,
      [generateEntityId(undefined, "lacsc"), input.session_id, input.cart_id, input.customer_id, input.user_id]
    )) as Array<{ id: string }>
    return rows[0]?.id ?? null
  }

  /** Sets an admin's grant (used when RBAC is off), creating it on first use. */
  @InjectManager()
  async setAdminGrant(
    input: { user_id: string; can_login?: boolean; can_view_log?: boolean },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ previous: AdminGrantDTO | null; current: AdminGrantDTO }> {
    return await this.setAdminGrant_(input, sharedContext)
  }

  @InjectTransactionManager()
  protected async setAdminGrant_(
    input: { user_id: string; can_login?: boolean; can_view_log?: boolean },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ previous: AdminGrantDTO | null; current: AdminGrantDTO }> {
    await this.lock_(`grant:${input.user_id}`, sharedContext)
    const [previous] = await this.listLoginAsCustomerAdminGrants(
      { user_id: input.user_id },
      { take: 1 },
      sharedContext
    )
    const data = {
      can_login: input.can_login ?? previous?.can_login ?? false,
      can_view_log: input.can_view_log ?? previous?.can_view_log ?? false,
    }
    const written = previous
      ? await this.updateLoginAsCustomerAdminGrants({ id: previous.id, ...data }, sharedContext)
      : (await this.createLoginAsCustomerAdminGrants([{ user_id: input.user_id, ...data }], sharedContext))[0]
    const current = await this.retrieveLoginAsCustomerAdminGrant(written.id, {}, sharedContext)
    return {
      previous: previous ? ({ ...previous } as unknown as AdminGrantDTO) : null,
      current: current as unknown as AdminGrantDTO,
    }
  }

  /**
   * One page of the log, newest first by default, filtered. Keyset-paginated
   * on (created_at, id) with the timestamp kept at full precision, so an
   * export can walk millions of rows without skipping or repeating one.
   */
  @InjectManager()
  async listLogEntriesPage(
    filter: LogFilter,
    page: { limit: number; offset?: number; ascending?: boolean; after?: LogCursor | null },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ rows: LogEntryRow[]; next: LogCursor | null }> {
    const manager = sharedContext.manager as SqlExecutor
    const direction = page.ascending ? "asc" : "desc"
    const offset = page.after ? 0 : page.offset ?? 0
    const { where, params } = logWhere(filter)
    if (page.after) {
      where.push(`("created_at", "id") ${page.ascending ? ">" : "<"} (?::timestamptz, ?)`)
      params.push(page.after.created_at, page.after.id)
    }
    const rows = (await manager.execute(
      `select ${LOG_COLUMNS}
         from "login_as_customer_log_entry"
        where ${where.join(" and ")}
        order by "created_at" ${direction}, "id" ${direction}
        limit ? offset ?`,
      [...params, page.limit, offset]
    )) as Array<LogEntryRow & { cursor_created_at: string }>
    const tail = rows[rows.length - 1]
    return {
      rows: rows.map(({ cursor_created_at: _cursor, ...row }) => row),
      next: rows.length === page.limit && tail ? { created_at: tail.cursor_created_at, id: tail.id } : null,
    }
  }

  /**
   * The CSV export: every row matching the filter, as CSV lines handed to
   * `write` in batches of `batch` rows. One read-only transaction with a
   * cursor: one consistent snapshot, one plan, no page re-sought. `write`
   * resolves once the text is on its way (false: stop, the reader went
   * away). Returns the rows written.
   */
  @InjectTransactionManager()
  async streamLogCsv(
    filter: LogFilter,
    options: { ascending?: boolean; batch?: number },
    write: (csv: string) => Promise<boolean>,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    const manager = sharedContext.transactionManager as SqlExecutor
    const direction = options.ascending ? "asc" : "desc"
    const batch = Math.max(1, Math.floor(options.batch ?? 5000))
    const { where, params } = logWhere(filter)
    // The timestamp's text below is ISO whatever the database's own DateStyle.
    await manager.execute(`set local datestyle = 'ISO, YMD'`)
    await manager.execute(
      `declare "login_as_customer_export" no scroll cursor for
       select ("created_at" at time zone 'UTC')::text as "created_at", "action", "user_id", "user_email",
              "customer_id", "customer_email", "session_id", "actor_type", "actor_id",
              "details"::text as "details", "id"
         from "login_as_customer_log_entry"
        where ${where.join(" and ")}
        order by "created_at" ${direction}, "id" ${direction}`,
      params
    )
    const fetch = () =>
      manager.execute(`fetch forward ${batch} from "login_as_customer_export"`) as Promise<ExportRow[]>
    // One batch at a time: fetching the next while one is sent was slower
    // (87 k against 115 k rows/s at a million rows) and took more memory: the
    // rows arriving meanwhile outlive the young generation and fill the old.
    let total = 0
    for (;;) {
      const rows = await fetch()
      if (!rows.length) {
        break
      }
      total += rows.length
      let csv = ""
      for (const row of rows) {
        csv += csvExportLine(row)
      }
      if (!(await write(csv))) {
        break
      }
    }
    return total
  }

  /**
   * A text search's page from the newest SEARCH_WINDOW rows matching the
   * other filters: the answer when the window holds the whole page (or is
   * all there is), else null. Common words are found at once this way, where
   * the trigram index would have to visit most of the table.
   */
  protected async searchRecentLogEntries_(
    manager: SqlExecutor,
    filter: LogFilter,
    direction: "asc" | "desc",
    limit: number,
    offset: number
  ): Promise<{ rows: Array<LogEntryRow & { cursor_created_at: string }>; scanned: number; matched: number } | null> {
    const { where, params } = logWhere(filter, { search: false })
    const search = searchCondition(filter)
    const found = (await manager.execute(
      `with "recent" as (
         select * from "login_as_customer_log_entry"
          where ${where.join(" and ")}
          order by "created_at" ${direction}, "id" ${direction}
          limit ?
       ), "matched" as (
         select * from "recent" where ${search.sql}
       )
       select (select count(*) from "recent")::int as "scanned", (select count(*) from "matched")::int as "matched",
              "page".*
         from (select 1) "one"
         left join lateral (
           select ${LOG_COLUMNS} from "matched"
            order by "created_at" ${direction}, "id" ${direction}
            limit ? offset ?
         ) "page" on true`,
      [...params, SEARCH_WINDOW, ...search.params, limit, offset]
    )) as Array<LogEntryRow & { cursor_created_at: string; scanned: number; matched: number }>
    const { scanned, matched } = found[0] ?? { scanned: 0, matched: 0 }
    if (scanned === SEARCH_WINDOW && matched < offset + limit) {
      return null
    }
    return {
      rows: found.filter((row) => row.id != null).map(({ scanned: _s, matched: _m, ...row }) => row),
      scanned,
      matched,
    }
  }

  /**
   * A page of the log and how many rows match the filter: exact up to
   * LOG_COUNT_EXACT_UP_TO matches (counting stops there), past that the
   * planner's estimate (never less than the rows known to exist) with
   * `estimated: true`. An exact `count(*)` over a million rows would cost far
   * more than the page itself.
   *
   * A text search reads the newest SEARCH_WINDOW rows matching the other
   * filters first: if they hold the page (a common text) or are all there
   * is, that is the answer, its count scaled up from the window when the
   * window is not everything; only a rare text goes to the trigram index,
   * which finds rare texts fast.
   */
  @InjectManager()
  async listLogEntriesCounted(
    filter: LogFilter,
    page: { limit: number; offset: number; ascending?: boolean },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ rows: LogEntryRow[]; count: number; estimated: boolean }> {
    const manager = sharedContext.manager as SqlExecutor
    const direction = page.ascending ? "asc" : "desc"
    const strip = (rows: Array<LogEntryRow & { cursor_created_at?: string }>) =>
      rows.map(({ cursor_created_at: _cursor, ...row }) => row as LogEntryRow)
    if (filter.q) {
      const recent = await this.searchRecentLogEntries_(manager, filter, direction, page.limit, page.offset)
      if (recent && recent.scanned < SEARCH_WINDOW) {
        return { rows: strip(recent.rows), count: recent.matched, estimated: false }
      }
      if (recent && recent.matched >= SEARCH_WINDOW / 100) {
        const { where, params } = logWhere(filter, { search: false })
        const candidates = await estimateRows(
          manager,
          `select 1 from "login_as_customer_log_entry" where ${where.join(" and ")}`,
          params
        )
        const count = Math.round((candidates * recent.matched) / recent.scanned)
        return { rows: strip(recent.rows), count: Math.max(count, recent.matched), estimated: true }
      }
      const rare = await this.searchRare_(filter, direction, page.limit, page.offset, sharedContext)
      if (rare) {
        return { rows: strip(recent?.rows ?? rare.rows), count: rare.count, estimated: false }
      }
    }
    const list = await this.listLogEntriesPage(filter, page, sharedContext)
    const counted = await this.countLogEntries(filter, sharedContext)
    return { rows: list.rows, ...counted }
  }

  /**
   * A rare text's matches through the trigram index, at most
   * LOG_COUNT_EXACT_UP_TO + 1 of them: their count and the page, or null
   * when there are more. Sequential and parallel scans are off for it: the
   * planner can't tell a rare text from a common one, and a scan of the
   * whole table, or starting workers, costs more than the index ever does.
   */
  @InjectTransactionManager()
  protected async searchRare_(
    filter: LogFilter,
    direction: "asc" | "desc",
    limit: number,
    offset: number,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ rows: Array<LogEntryRow & { cursor_created_at: string }>; count: number } | null> {
    const manager = sharedContext.transactionManager as SqlExecutor
    await manager.execute("set local enable_seqscan = off")
    await manager.execute("set local max_parallel_workers_per_gather = 0")
    const { where, params } = logWhere(filter)
    const found = (await manager.execute(
      `with "matched" as materialized (
         select ${LOG_COLUMNS} from "login_as_customer_log_entry" where ${where.join(" and ")} limit ?
       )
       select (select count(*) from "matched")::int as "total", "page".*
         from (select 1) "one"
         left join lateral (
           select * from "matched" order by "created_at" ${direction}, "id" ${direction} limit ? offset ?
         ) "page" on true`,
      [...params, LOG_COUNT_EXACT_UP_TO + 1, limit, offset]
    )) as Array<LogEntryRow & { cursor_created_at: string; total: number }>
    const total = found[0]?.total ?? 0
    if (total > LOG_COUNT_EXACT_UP_TO) {
      return null
    }
    return {
      rows: found.filter((row) => row.id != null).map(({ total: _total, ...row }) => row),
      count: total,
    }
  }

  /**
   * How many log rows match the filter: exact up to LOG_COUNT_EXACT_UP_TO
   * matches (counting stops there), past that the planner's estimate, never
   * less than the rows counted, with `estimated: true`.
   */
  @InjectManager()
  async countLogEntries(
    filter: LogFilter,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ count: number; estimated: boolean }> {
    const manager = sharedContext.manager as SqlExecutor
    const { where, params } = logWhere(filter)
    const [row] = (await manager.execute(
      `select count(*)::int as "count"
         from (select 1 from "login_as_customer_log_entry" where ${where.join(" and ")} limit ?) "capped"`,
      [...params, LOG_COUNT_EXACT_UP_TO + 1]
    )) as Array<{ count: number }>
    const counted = row?.count ?? 0
    if (counted <= LOG_COUNT_EXACT_UP_TO) {
      return { count: counted, estimated: false }
    }
    const estimate = await estimateRows(
      manager,
      `select 1 from "login_as_customer_log_entry" where ${where.join(" and ")}`,
      params
    )
    return { count: Math.max(estimate, counted), estimated: true }
  }

  /** Sessions started per day (UTC) over the last `days` days, oldest first, zeros included. */
  @InjectManager()
  async countSessionsPerDay(
    days: number,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<Array<{ date: string; sessions: number }>> {
    const manager = sharedContext.manager as SqlExecutor
    const rows = (await manager.execute(
      `select to_char(("created_at" at time zone 'UTC')::date, 'YYYY-MM-DD') as "date", count(*)::int as "sessions"
         from "login_as_customer_log_entry"
        where "action" = 'session_started' and "deleted_at" is null
          and "created_at" >= (now() at time zone 'UTC')::date - make_interval(days => ?)
        group by 1`,
      [days - 1]
    )) as Array<{ date: string; sessions: number }>
    const byDate = new Map(rows.map((row) => [row.date, row.sessions]))
    const today = new Date()
    return Array.from({ length: days }, (_, i) => {
      const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1 - i)))
      const date = day.toISOString().slice(0, 10)
      return { date, sessions: byDate.get(date) ?? 0 }
    })
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
