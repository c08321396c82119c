import type { Writable } from "stream"
import type { Context, InferTypeOf } from "@medusajs/framework/types"
import { MedusaService } from "@medusajs/framework/utils"
import type {
  AdminGrantDTO,
  EndReason,
  LogEntryDTO,
  LogFilter,
  RemoteAssistanceDTO,
  SessionDTO,
  SettingsDTO,
} from "../../types"
import AdminGrant from "./models/admin-grant"
import CartCompletion from "./models/cart-completion"
import LogEntry from "./models/log-entry"
import RemoteAssistance from "./models/remote-assistance"
import Session from "./models/session"
import SessionCart from "./models/session-cart"
import Settings from "./models/settings"
import Ticket from "./models/ticket"
import type { PluginOptions, SettingsFields } from "./options"
import type { CartCompletionService } from "./services/cart-completions"
import type { ConsentService, SetRemoteAssistanceInput } from "./services/consent"
import type { GrantService, SetAdminGrantInput } from "./services/grants"
import type { ErasureBy, KeptCheckpoint, LogHealth, PurgeResult, SealedCheckpoint, VerifyResult } from "./log-integrity"
import type { LogIntegrityService } from "./services/log-integrity"
import type { LogQueryService } from "./services/log-queries"
import type { ConsentWithdrawal, EventLine, LogWriterService, RecordLogEntryInput } from "./services/log-writer"
import type { SessionState, SessionStateService } from "./services/session-state"
import type {
  EndedWindow,
  EndSessionsFilter,
  SessionCartInput,
  SessionService,
  StartSessionInput,
  StartSessionResult,
} from "./services/sessions"
import type { SettingsService } from "./services/settings"
import type { LogEntryRow } from "./utils/log-sql"
import { withinPageBudget } from "./utils/log-page-budget"
import type { SettingsRow } from "./utils/settings"
import type { ModuleManager } from "./utils/sql"

export type { SetRemoteAssistanceInput } from "./services/consent"
export type { ConsentWithdrawal, RecordLogEntryInput } from "./services/log-writer"
export type { SessionState } from "./services/session-state"
export type { EndedWindow, EndSessionsFilter, StartSessionInput, StartSessionResult } from "./services/sessions"
export { LOG_COUNT_EXACT_UP_TO, LOG_SEARCH_TEXT, type LogEntryRow } from "./utils/log-sql"
export { normalizeStorefronts, SETTINGS_ID } from "./utils/settings"
export { hashTicket } from "./utils/tickets"

/** The module's own services, registered from ./services by Medusa's module loader. */
type InjectedDependencies = {
  settingsService: SettingsService
  consentService: ConsentService
  grantService: GrantService
  sessionService: SessionService
  sessionStateService: SessionStateService
  logWriterService: LogWriterService
  logQueryService: LogQueryService
  logIntegrityService: LogIntegrityService
  cartCompletionService: CartCompletionService
}

type Ctx = Context<ModuleManager>

/**
 * The Login as Customer module's service: the generated CRUD of its models
 * (which query.graph uses) and the feature's operations, each carried out by
 * the internal service of its concern.
 */
export default class LoginAsCustomerModuleService extends MedusaService<{
  RemoteAssistance: { dto: RemoteAssistanceDTO }
  // Keys match the models' names, which query.graph uses to find the methods.
  LoginAsCustomerSettings: { dto: SettingsRow }
  LoginAsCustomerAdminGrant: { dto: AdminGrantDTO }
  LoginAsCustomerTicket: { dto: InferTypeOf<typeof Ticket> }
  LoginAsCustomerSession: { dto: SessionDTO }
  LoginAsCustomerLogEntry: { dto: LogEntryDTO }
  LoginAsCustomerSessionCart: { dto: InferTypeOf<typeof SessionCart> }
  LoginAsCustomerCartCompletion: { dto: InferTypeOf<typeof CartCompletion> }
}>({
  RemoteAssistance,
  LoginAsCustomerSettings: Settings,
  LoginAsCustomerAdminGrant: AdminGrant,
  LoginAsCustomerTicket: Ticket,
  LoginAsCustomerSession: Session,
  LoginAsCustomerLogEntry: LogEntry,
  LoginAsCustomerSessionCart: SessionCart,
  LoginAsCustomerCartCompletion: CartCompletion,
}) {
  protected readonly settings_: SettingsService
  protected readonly consent_: ConsentService
  protected readonly grants_: GrantService
  protected readonly sessions_: SessionService
  protected readonly sessionState_: SessionStateService
  protected readonly logWriter_: LogWriterService
  protected readonly logQueries_: LogQueryService
  protected readonly logIntegrity_: LogIntegrityService
  protected readonly cartCompletions_: CartCompletionService

  constructor(container: InjectedDependencies, ...rest: unknown[]) {
    super(container, ...rest)
    this.settings_ = container.settingsService
    this.consent_ = container.consentService
    this.grants_ = container.grantService
    this.sessions_ = container.sessionService
    this.sessionState_ = container.sessionStateService
    this.logWriter_ = container.logWriterService
    this.logQueries_ = container.logQueryService
    this.logIntegrity_ = container.logIntegrityService
    this.cartCompletions_ = container.cartCompletionService
  }

  // Settings, consent and grants

  /** The plugin options, validated. */
  getOptions(): PluginOptions {
    return this.settings_.getOptions()
  }

  /** The settings as they would be before any admin saved them. */
  getDefaultSettings(): SettingsDTO {
    return this.settings_.getDefaultSettings()
  }

  /** The settings in force: the saved row, or the option defaults. */
  async getSettings(sharedContext: Ctx = {}): Promise<SettingsDTO> {
    return await this.settings_.getSettings(sharedContext)
  }

  /** Applies a partial settings update, creating the row on first save; returns the settings before and after. */
  async saveSettings(update: SettingsFields, sharedContext: Ctx = {}): Promise<{ previous: SettingsDTO; current: SettingsDTO }> {
    return await this.settings_.saveSettings(update, sharedContext)
  }

  /** Puts the settings back as they were (workflow compensation). */
  async revertSettings(previous: SettingsDTO, sharedContext: Ctx = {}): Promise<void> {
    await this.settings_.revertSettings(previous, sharedContext)
  }

  /** The customer's consent record, or null when the customer never set one. */
  async getRemoteAssistance(customerId: string, sharedContext: Ctx = {}): Promise<RemoteAssistanceDTO | null> {
    return await this.consent_.getRemoteAssistance(customerId, sharedContext)
  }

  /**
   * Sets a customer's consent, creating the record on first use. Serialized per
   * customer so concurrent changes can't lose one another.
   */
  async setRemoteAssistance(
    input: SetRemoteAssistanceInput,
    sharedContext: Ctx = {}
  ): Promise<{ previous: RemoteAssistanceDTO | null; current: RemoteAssistanceDTO }> {
    return await this.consent_.setRemoteAssistance(input, sharedContext)
  }

  /** Sets an admin's grant (used when RBAC is off), creating it on first use. */
  async setAdminGrant(
    input: SetAdminGrantInput,
    sharedContext: Ctx = {}
  ): Promise<{ previous: AdminGrantDTO | null; current: AdminGrantDTO }> {
    return await this.grants_.setAdminGrant(input, sharedContext)
  }

  // Sessions and tickets

  /**
   * Opens a pending session for the admin with a one-time ticket, superseding
   * the admin's other sessions (one active session per admin). Returns the
   * ticket's secret once; only its sha256 is stored.
   */
  async startSession(input: StartSessionInput, sharedContext: Ctx = {}): Promise<StartSessionResult> {
    return await this.sessions_.startSession(input, sharedContext)
  }

  /**
   * Consumes a ticket and starts its session, atomically: of any number of
   * concurrent exchanges of one ticket exactly one succeeds. Returns null for
   * an unknown, used or expired ticket, or a session that ended meanwhile.
   */
  async exchangeTicket(secret: string, sessionTtlSeconds: number, sharedContext: Ctx = {}): Promise<SessionDTO | null> {
    return await this.sessions_.exchangeTicket(secret, sessionTtlSeconds, sharedContext)
  }

  /** A ticket's hash as the tickets table stores it (keyed with the log's key when one is set). */
  async hashLoginTicket(secret: string): Promise<string> {
    return this.sessions_.ticketHash(secret)
  }

  /** Whether a ticket's secret was issued for this session: with the log's key, a ticket row pointed at another session isn't. */
  async loginTicketIsFor(secret: string, sessionId: string): Promise<boolean> {
    return this.sessions_.ticketIsFor(secret, sessionId)
  }

  /** Marks a ticket used without starting its session (a refused exchange). */
  async burnTicket(secret: string, sharedContext: Ctx = {}): Promise<void> {
    await this.sessions_.burnTicket(secret, sharedContext)
  }

  /**
   * Ends the matching open sessions with `reason` (or `expired` for those whose
   * time had already run out). Each session is ended by exactly one caller:
   * the returned rows are the ones this call ended.
   */
  async endSessions(filter: EndSessionsFilter, reason: EndReason, sharedContext: Ctx = {}): Promise<SessionDTO[]> {
    return await this.sessions_.endSessions(filter, reason, sharedContext)
  }

  /**
   * Sessions by id, in the order of `ids` (not deleted ones), read in SQL with
   * their `context` as the app writes it: a row whose `context` was nested
   * deep by SQL can still be shown and ended (SESSION_COLUMNS).
   */
  async listSessionsByIds(ids: string[], sharedContext: Ctx = {}): Promise<SessionDTO[]> {
    return await this.sessions_.sessionsByIds(ids, sharedContext)
  }

  /** Notes a completion of a cart a session's request runs now; returns its id: CartCompletionService.startCartCompletion. */
  async startCartCompletion(cartId: string, sessionId: string, sharedContext: Ctx = {}): Promise<string> {
    return await this.cartCompletions_.startCartCompletion(cartId, sessionId, sharedContext)
  }

  /** The completion's request's line is written (or couldn't be): CartCompletionService.endCartCompletion. */
  async endCartCompletion(id: string, sharedContext: Ctx = {}): Promise<void> {
    await this.cartCompletions_.endCartCompletion(id, sharedContext)
  }

  /** Whether a session's request is completing the cart now: CartCompletionService.cartCompletionInFlight. */
  async cartCompletionInFlight(cartId: string, sharedContext: Ctx = {}): Promise<boolean> {
    return await this.cartCompletions_.cartCompletionInFlight(cartId, sharedContext)
  }

  /** Deletes completions' notes no request ended within an hour: CartCompletionService.purgeCartCompletions. */
  async purgeCartCompletions(sharedContext: Ctx = {}): Promise<void> {
    await this.cartCompletions_.purgeCartCompletions(sharedContext)
  }

  /** The app's sessions ended in a window, a page at a time: SessionService.sessionsEndedBetween. */
  async listSessionsEndedBetween(
    window: EndedWindow,
    limit: number,
    sharedContext: Ctx = {}
  ): Promise<SessionDTO[]> {
    return await this.sessions_.sessionsEndedBetween(window, limit, sharedContext)
  }

  /**
   * Records that a session changed a cart, once per cart and session (a repeat
   * or a concurrent twin changes nothing). Its time is the database's, like the
   * session's start and end it is compared with. Returns the new row's id, or
   * null when the pair was already recorded.
   */
  async recordSessionCart(input: SessionCartInput, sharedContext: Ctx = {}): Promise<string | null> {
    return await this.sessions_.recordSessionCart(input, sharedContext)
  }

  /** Everything needed to decide whether a session may go on, in one query. */
  async getSessionState(sessionId: string, sharedContext: Ctx = {}): Promise<SessionState | null> {
    return await this.sessionState_.getSessionState(sessionId, sharedContext)
  }

  // The log

  /**
   * Appends a log line. With an `event_id`, a second write of the same event is
   * a no-op, so a retried or doubly delivered event never doubles a line.
   * Returns whether a row was written; throws when the event's line already
   * in the log says otherwise (insertLogLine).
   */
  async recordLogEntry(input: RecordLogEntryInput, sharedContext: Ctx = {}): Promise<boolean> {
    return await this.logWriter_.recordLogEntry(input, sharedContext)
  }

  /** When each session's newest line of the app's own was written: LogWriterService.newestOwnLines. */
  async newestOwnLogLines(sessionIds: string[], sharedContext: Ctx = {}): Promise<Map<string, Date>> {
    return await this.logWriter_.newestOwnLines(sessionIds, sharedContext)
  }

  /** What the log says sessions did with a completed cart: LogWriterService.cartActs. */
  async cartActs(sessionIds: string[], cart: Parameters<LogWriterService["cartActs"]>[1], sharedContext: Ctx = {}) {
    return await this.logWriter_.cartActs(sessionIds, cart, sharedContext)
  }

  /** The app's own lines withdrawing consent of customers, between two times: LogWriterService.consentWithdrawals. */
  async consentWithdrawals(customerIds: string[], from: Date, to: Date, sharedContext: Ctx = {}): Promise<ConsentWithdrawal[]> {
    return await this.logWriter_.consentWithdrawals(customerIds, from, to, sharedContext)
  }

  /** The id of the newest of the app's own lines of an action: LogWriterService.newestOwnLineId. */
  async newestOwnLogLineId(action: string, sharedContext: Ctx = {}): Promise<string | null> {
    return await this.logWriter_.newestOwnLineId(action, undefined, sharedContext)
  }

  /** Who and what the log's lines of events record, by event id (their keyed ids with a key): LogWriterService.eventLines. */
  async eventLines(eventIds: string[], sharedContext: Ctx = {}): Promise<Map<string, EventLine>> {
    return await this.logWriter_.eventLines(eventIds, sharedContext)
  }

  /**
   * A page of the log and how many rows match the filter (estimated past
   * LOG_COUNT_EXACT_UP_TO), its JSON within LOG_PAGE_MAX_JSON_BYTES
   * (log-page-budget.ts). A search that waits for a slot throws SlotsFull
   * when SEARCH_QUEUE others already wait, and `signal`'s reason once it aborts.
   */
  async listLogEntriesCounted(
    filter: LogFilter,
    page: { limit: number; offset: number; ascending?: boolean; signal?: AbortSignal },
    sharedContext: Ctx = {}
  ): Promise<{ rows: LogEntryRow[]; count: number; estimated: boolean }> {
    const found = await this.logQueries_.listLogEntriesCounted(filter, page, sharedContext)
    return { ...found, rows: withinPageBudget(found.rows) }
  }

  /** How many log rows match the filter (estimated past LOG_COUNT_EXACT_UP_TO). */
  async countLogEntries(filter: LogFilter, sharedContext: Ctx = {}): Promise<{ count: number; estimated: boolean }> {
    return await this.logQueries_.countLogEntries(filter, sharedContext)
  }

  /**
   * The CSV export: every row matching the filter, in the list's order,
   * written into `destination` (not ended) by one COPY, at the pace it
   * drains; cancelled when `destination` closes first. Returns the rows
   * written, or null when cut short.
   */
  async exportLogCsv(
    filter: LogFilter,
    options: { ascending?: boolean; signal?: AbortSignal },
    destination: Writable,
    sharedContext: Ctx = {}
  ): Promise<number | null> {
    return await this.logQueries_.exportLogCsv(filter, options, destination, sharedContext)
  }

  /** Sessions started per day (UTC) over the last `days` days, oldest first, zeros included. */
  async countSessionsPerDay(days: number, sharedContext: Ctx = {}): Promise<Array<{ date: string; sessions: number }>> {
    return await this.logQueries_.countSessionsPerDay(days, sharedContext)
  }

  // The log's integrity (SECURITY.md, "The log's integrity, retention and erasure")

  /**
   * Seals the lines written since the last seal into a signed checkpoint;
   * null when there was nothing new. `guards_rewritten`: the log's guards
   * were changed in the catalog since the seal before.
   */
  async sealLog(): Promise<SealedCheckpoint | null> {
    return await this.logIntegrity_.seal()
  }

  /**
   * Recomputes the log's chain and names the first mismatch; kept as the last
   * verification unless `record` is false. Quick unless `full`: only lines
   * rewritten since their insert are recomputed. `anchor`: a checkpoint kept
   * outside the database, which the chain must still hold.
   */
  async verifyLog(options: { record?: boolean; full?: boolean; anchor?: KeptCheckpoint | null } = {}): Promise<VerifyResult> {
    return await this.logIntegrity_.verify(options)
  }

  /** Retention: removes whole sealed ranges older than `log_retention_days`, leaving a tombstone. */
  async purgeLog(): Promise<PurgeResult> {
    const settings = await this.getSettings()
    return await this.logIntegrity_.purge(settings.log_retention_days ?? null)
  }

  /**
   * Replaces a customer's personal fields in the log by their pseudonym and
   * writes the `personal_data_erased` line, signed with the log's key; the chain still verifies.
   */
  async eraseCustomerFromLog(customerId: string, by: ErasureBy): Promise<{ pseudonym: string; erased_lines: number }> {
    return await this.logIntegrity_.eraseCustomer(customerId, by)
  }

  /** How many lines about a customer an erasure would still change (0: erased, and nothing new since). */
  async countErasableLogLines(customerId: string): Promise<number> {
    return await this.logIntegrity_.countErasableLines(customerId)
  }

  /** The log's own health: lines, size on disk, oldest line, last seal and verification, retention. */
  async getLogHealth(): Promise<LogHealth & { retention_days: number | null }> {
    const [health, settings] = await Promise.all([this.logIntegrity_.health(), this.getSettings()])
    return { ...health, retention_days: settings.log_retention_days ?? null }
  }
}
