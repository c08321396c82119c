import type { Context, ModulesSdkTypes } from "@medusajs/framework/types"
import {
  generateEntityId,
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
} from "@medusajs/framework/utils"
import type { EndReason, SessionDTO } from "../../../types"
import type Session from "../models/session"
import type Ticket from "../models/ticket"
import { BaseDependencies, InternalService } from "../utils/internal-service"
import { lockKey, managerOf, ModuleManager } from "../utils/sql"
import { keyedEventId, type LogKey, resolveLogKey } from "../log-integrity/key"
import { sessionEventId } from "../utils/log-line"
import type { PluginOptions } from "../options"
import { hashTicket, newTicketSecret, ticketIsFor } from "../utils/tickets"

export type StartSessionInput = Pick<SessionDTO, "user_id" | "customer_id" | "storefront_id" | "context" | "reason" | "mode"> & {
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

/**
 * A session's columns as the module reads them in SQL, `context` as the app
 * writes it (`{ order_id }` or null), whatever the row holds: the sessions
 * table is not append-only, and a `context` nested thousands of levels deep
 * (written by SQL) overflowed the stack of whatever copied it (the ORM, a
 * workflow's step), so sessions ended by the expiry job went unlogged.
 */
export const SESSION_COLUMNS = `"id", "user_id", "customer_id", "storefront_id",
  case when jsonb_typeof("context") = 'object' and jsonb_typeof("context" -> 'order_id') = 'string'
            and length("context" ->> 'order_id') <= 200
       then jsonb_build_object('order_id', "context" ->> 'order_id') end as "context",
  "reason", "mode", "started_at", "expires_at", "ended_at", "end_reason", "created_at", "updated_at", "deleted_at"`

/**
 * Which rows are sessions the app made: their ids are `lacs_` and a ULID.
 * Another row was written by SQL and no token can name it; the app neither
 * ends nor reads it (a cold review inserted one with a 2 660-character id:
 * the line of its end couldn't be indexed, and ending it took down the lines
 * of every session ended beside it).
 */
export const APP_SESSION_ID = "^lacs_[0-9A-Z]{26}$"
export const APP_SESSION = `"id" ~ '${APP_SESSION_ID}'`

/** The id of a session's own `session_ended` line with the log's key: no one without it can write one. */
export const keyedEndEventId = (key: LogKey, sessionId: string) => keyedEventId(key, sessionEventId("session_ended", sessionId))

/** Sessions ended from `newer_than_seconds` to `older_than_seconds` ago, after the id `after_id`. */
export type EndedWindow = { newer_than_seconds: number; older_than_seconds: number; after_id?: string | null }

export type SessionCartInput = { session_id: string; cart_id: string; customer_id: string; user_id: string }

type InjectedDependencies = BaseDependencies & {
  loginAsCustomerSessionService: ModulesSdkTypes.IMedusaInternalService<typeof Session>
  loginAsCustomerTicketService: ModulesSdkTypes.IMedusaInternalService<typeof Ticket>
  loginAsCustomerOptions: PluginOptions
}

/** Sessions and their one-time tickets: start, exchange, end, and the carts a session changed. */
export class SessionService extends InternalService {
  protected readonly sessions_: ModulesSdkTypes.IMedusaInternalService<typeof Session>
  protected readonly tickets_: ModulesSdkTypes.IMedusaInternalService<typeof Ticket>
  protected readonly options_: PluginOptions

  constructor(dependencies: InjectedDependencies) {
    super(dependencies)
    this.sessions_ = dependencies.loginAsCustomerSessionService
    this.tickets_ = dependencies.loginAsCustomerTicketService
    this.options_ = dependencies.loginAsCustomerOptions
  }

  /** A ticket's hash as stored, keyed with the log's key when one is set (hashTicket). */
  ticketHash(secret: string): string {
    return hashTicket(secret, resolveLogKey(this.options_?.log_key))
  }

  /** Whether a ticket's secret was issued for this session (ticketIsFor). */
  ticketIsFor(secret: string, sessionId: string): boolean {
    return ticketIsFor(secret, sessionId, resolveLogKey(this.options_?.log_key))
  }

  @InjectManager()
  async startSession(
    input: StartSessionInput,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<StartSessionResult> {
    return await this.startSession_(input, sharedContext)
  }

  @InjectTransactionManager()
  protected async startSession_(
    input: StartSessionInput,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<StartSessionResult> {
    await lockKey(sharedContext, `admin:${input.user_id}`)
    const superseded = await this.endSessions_({ user_id: input.user_id }, "superseded", sharedContext)

    const ticketExpiresAt = new Date(Date.now() + input.ticket_ttl_seconds * 1000)
    const session = await this.sessions_.create(
      {
        user_id: input.user_id,
        customer_id: input.customer_id,
        storefront_id: input.storefront_id,
        context: input.context,
        reason: input.reason,
        mode: input.mode,
        // Until the ticket is exchanged, the session lives as long as its ticket.
        expires_at: ticketExpiresAt,
        // Set here, not at the flush, so the session returned has it: the
        // `ticket_issued` event is dated by it (toSessionEvent).
        created_at: new Date(),
      },
      sharedContext
    )
    const secret = newTicketSecret(session.id, resolveLogKey(this.options_?.log_key))
    await this.tickets_.create(
      {
        token_hash: this.ticketHash(secret),
        user_id: input.user_id,
        customer_id: input.customer_id,
        storefront_id: input.storefront_id,
        session_id: session.id,
        expires_at: ticketExpiresAt,
      },
      sharedContext
    )
    return {
      session: await this.baseRepository_.serialize<SessionDTO>(session),
      ticket: secret,
      ticket_expires_at: ticketExpiresAt,
      superseded,
    }
  }

  @InjectManager()
  async exchangeTicket(
    secret: string,
    sessionTtlSeconds: number,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<SessionDTO | null> {
    return await this.exchangeTicket_(secret, sessionTtlSeconds, sharedContext)
  }

  @InjectTransactionManager()
  protected async exchangeTicket_(
    secret: string,
    sessionTtlSeconds: number,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<SessionDTO | null> {
    const manager = managerOf(sharedContext)
    const tickets = await manager.execute<Array<{ session_id: string }>>(
      `update "login_as_customer_ticket"
          set "consumed_at" = now(), "updated_at" = now()
        where "token_hash" = ? and "consumed_at" is null and "expires_at" > now()
          and "deleted_at" is null
        returning "session_id"`,
      [this.ticketHash(secret)]
    )
    // A ticket row made to point at another session doesn't open it.
    if (!tickets.length || !this.ticketIsFor(secret, tickets[0].session_id)) {
      return null
    }
    const sessions = await manager.execute<SessionDTO[]>(
      `update "login_as_customer_session"
          set "started_at" = now(),
              "expires_at" = now() + make_interval(secs => ?),
              "updated_at" = now()
        where "id" = ? and "started_at" is null and "ended_at" is null
          and "deleted_at" is null and ${APP_SESSION}
        returning ${SESSION_COLUMNS}`,
      [sessionTtlSeconds, tickets[0].session_id]
    )
    return sessions[0] ?? null
  }

  @InjectManager()
  async burnTicket(secret: string, @MedusaContext() sharedContext: Context<ModuleManager> = {}): Promise<void> {
    await managerOf(sharedContext).execute(
      `update "login_as_customer_ticket" set "consumed_at" = now(), "updated_at" = now()
        where "token_hash" = ? and "consumed_at" is null`,
      [this.ticketHash(secret)]
    )
  }

  @InjectManager()
  async endSessions(
    filter: EndSessionsFilter,
    reason: EndReason,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<SessionDTO[]> {
    return await this.endSessions_(filter, reason, sharedContext)
  }

  @InjectTransactionManager()
  protected async endSessions_(
    filter: EndSessionsFilter,
    reason: EndReason,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
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
    // Ending every session needs to be asked for by name, not by omission.
    if (!clauses.length && !filter.all) {
      return []
    }
    const manager = managerOf(sharedContext)
    // Locked first, then dated: the end's time is when it took the rows,
    // not when its transaction began (a lock held on a session row, or a
    // long transaction, would date the end before requests the session
    // still served meanwhile).
    const locked = await manager.execute<Array<{ id: string }>>(
      `select "id" from "login_as_customer_session"
        where "ended_at" is null and "deleted_at" is null and ${APP_SESSION}
          ${clauses.map((c) => `and ${c}`).join(" ")}
        for update`,
      params.slice(1)
    )
    if (!locked.length) {
      return []
    }
    // With the key, a row whose own end line the log already holds was put
    // back open by SQL: the guard refuses it (end_logged), and its end is not
    // written twice. (Without it, such a line could be anyone's.)
    const key = resolveLogKey(this.options_?.log_key)
    const endEventIds = new Map(key ? locked.map(({ id }) => [keyedEndEventId(key, id), id]) : [])
    const logged = endEventIds.size
      ? await manager.execute<Array<{ event_id: string }>>(
          `select "event_id" from "login_as_customer_log_entry"
            where "event_id" in (${[...endEventIds.keys()].map(() => "?").join(", ")}) and "deleted_at" is null`,
          [...endEventIds.keys()]
        )
      : []
    const endedBefore = new Set(logged.map((row) => endEventIds.get(row.event_id)))
    const open = locked.filter((row) => !endedBefore.has(row.id))
    if (!open.length) {
      return []
    }
    return await manager.execute<SessionDTO[]>(
      `update "login_as_customer_session"
          set "ended_at" = pg_catalog.clock_timestamp(),
              "end_reason" = case when "expires_at" <= pg_catalog.clock_timestamp() then 'expired' else ? end,
              "updated_at" = pg_catalog.clock_timestamp()
        where "ended_at" is null and "deleted_at" is null and "id" in (${open.map(() => "?").join(", ")})
        returning ${SESSION_COLUMNS}`,
      [reason, ...open.map((row) => row.id)]
    )
  }

  /** Sessions by id (not deleted ones, the app's: APP_SESSION), in SQL with SESSION_COLUMNS, in the order of `ids`. */
  @InjectManager()
  async sessionsByIds(ids: string[], @MedusaContext() sharedContext: Context<ModuleManager> = {}): Promise<SessionDTO[]> {
    if (!ids.length) {
      return []
    }
    const rows = await managerOf(sharedContext).execute<SessionDTO[]>(
      `select ${SESSION_COLUMNS} from "login_as_customer_session"
        where "deleted_at" is null and ${APP_SESSION} and "id" in (${ids.map(() => "?").join(", ")})`,
      ids
    )
    const byId = new Map(rows.map((row) => [row.id, row]))
    return ids.map((id) => byId.get(id)).filter((row): row is SessionDTO => !!row)
  }

  /**
   * The app's sessions (APP_SESSION) whose rows ended within the window (by
   * the database's clock, which dated the ends), by id, `limit` at most after
   * the id `after_id` (the last of the page before).
   */
  @InjectManager()
  async sessionsEndedBetween(
    window: EndedWindow,
    limit: number,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<SessionDTO[]> {
    const after = window.after_id ? [window.after_id] : []
    return await managerOf(sharedContext).execute<SessionDTO[]>(
      `select ${SESSION_COLUMNS} from "login_as_customer_session"
        where "deleted_at" is null and ${APP_SESSION} and "ended_at" >= now() - make_interval(secs => ?)
          and "ended_at" < now() - make_interval(secs => ?)
          ${after.length ? `and "id" > ?` : ""}
        order by "id" limit ?`,
      [window.newer_than_seconds, window.older_than_seconds, ...after, limit]
    )
  }

  @InjectManager()
  async recordSessionCart(
    input: SessionCartInput,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<string | null> {
    const rows = await managerOf(sharedContext).execute<Array<{ id: string }>>(
      `insert into "login_as_customer_session_cart" ("id", "session_id", "cart_id", "customer_id", "user_id")
       values (?, ?, ?, ?, ?)
       on conflict ("cart_id", "session_id") where "deleted_at" is null do nothing
       returning "id"`,
      [generateEntityId(undefined, "lacsc"), input.session_id, input.cart_id, input.customer_id, input.user_id]
    )
    return rows[0]?.id ?? null
  }
}
