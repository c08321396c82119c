import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, MedusaContext } from "@medusajs/framework/utils"
import { keyedEventId, resolveLogKey } from "../log-integrity/key"
import type { PluginOptions } from "../options"
import { BaseDependencies, InternalService } from "../utils/internal-service"
import { insertLogLine } from "../utils/log-line"
import type { RecordLogEntryInput } from "../utils/log-line"
import { managerOf, ModuleManager } from "../utils/sql"

export type { RecordLogEntryInput }

/** What eventLines reads of an event's line. */
export type EventLine = {
  user_id: string | null
  customer_id: string | null
  session_id: string | null
  storefront_id: string | null
  mode: string | null
  reason: string | null
  /** A `session_ended` line's end: when, and why. */
  ended_at: string | null
  end_reason: string | null
}

/** A line of consentWithdrawals. */
export type ConsentWithdrawal = {
  customer_id: string
  actor_type: "user" | "customer" | "system"
  actor_id: string | null
  created_at: Date
}

/** Writes of the log: append-only, one line per event. */
export class LogWriterService extends InternalService {
  protected readonly options_: PluginOptions

  constructor(dependencies: BaseDependencies & { loginAsCustomerOptions: PluginOptions }) {
    super(dependencies)
    this.options_ = dependencies.loginAsCustomerOptions
  }

  /**
   * Who and what the log's lines of events `eventIds` record, by event id
   * (each under its keyed id when a key is set: a line under the plain id,
   * which anyone who can insert could write, isn't taken, nor then one
   * written before the key was set); an event whose line the log doesn't
   * hold is missing. Its admin, customer, session, and its
   * details' storefront, mode, reason and end (read in SQL, not the whole details).
   */
  @InjectManager()
  async eventLines(
    eventIds: string[],
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<Map<string, EventLine>> {
    const found = new Map<string, EventLine>()
    if (!eventIds.length) {
      return found
    }
    const key = resolveLogKey(this.options_?.log_key)
    // With the key, only the keyed line is the app's: one under the plain id is anyone's.
    const stored = new Map(eventIds.map((id) => [key ? keyedEventId(key, id) : id, id]))
    const wanted = [...stored.keys()]
    const rows = (await managerOf(sharedContext).execute(
      `select "event_id", "user_id", "customer_id", "session_id", "details"->>'storefront_id' as "storefront_id",
              "details"->>'mode' as "mode", "details"->>'reason' as "reason",
              "details"->>'ended_at' as "ended_at", "details"->>'end_reason' as "end_reason"
         from "login_as_customer_log_entry" where "event_id" in (${wanted.map(() => "?").join(", ")}) and "deleted_at" is null`,
      wanted
    )) as Array<EventLine & { event_id: string }>
    for (const { event_id, ...line } of rows) {
      found.set(stored.get(event_id)!, line)
    }
    return found
  }

  /**
   * When the log's newest line of the app's own (isOwnEventId) of each of
   * `sessionIds` was written, by session id; a session with none is missing.
   */
  @InjectManager()
  async newestOwnLines(sessionIds: string[], @MedusaContext() sharedContext: Context<ModuleManager> = {}): Promise<Map<string, Date>> {
    const newest = new Map<string, Date>()
    for (const row of await this.ownLinesOf(sessionIds, "", [], sharedContext)) {
      if (!(row.created_at <= (newest.get(row.session_id) ?? new Date(0)))) newest.set(row.session_id, row.created_at)
    }
    return newest
  }

  /**
   * What the log's lines of the app's own say `sessionIds` did with a cart,
   * completed at `cart.completed_at` into order `cart.order_id`: for each session that
   * acted on it before the completion, when it last did (its allowed store
   * actions naming the cart that the store answered with success, by when
   * the guard took each request) and when it completed it (its first such
   * completion taken no later than the cart's: a completion of a completed
   * cart, which Medusa answers with its order, completes nothing, nor does
   * one whose turn came after the cart had become an order, its line's
   * `order_created` false: neither is an act); and
   * whether the cart placed another order than its own (a completion's
   * line naming another order it was answered with, or an `order_placed`
   * line of another order from it; never an id a request's path held): a
   * link from an order to such a cart is a row SQL re-pointed.
   */
  @InjectManager()
  async cartActs(
    sessionIds: string[],
    cart: { id: string; completed_at: Date | string; order_id: string },
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<{ acts: Map<string, { acted_at: Date; completed_at: Date | null }>; placed_other: boolean }> {
    const acts = new Map<string, { acted_at: Date; completed_at: Date | null }>()
    const rows = await this.ownLinesOf(
      sessionIds,
      ` and (("action" = 'store_action' and "details"->>'outcome' = 'allowed' and "details"->>'status' ~ '^[1-3][0-9][0-9]$'
              and "details"->'resource_ids' @> jsonb_build_array(?::text))
           or ("action" = 'order_placed' and "details"->>'cart_id' = ?))`,
      [cart.id, cart.id],
      sharedContext
    )
    const completedAt = new Date(cart.completed_at).getTime()
    let placedOther = false
    for (const row of rows) {
      const orderId = typeof row.details?.order_id === "string" ? row.details.order_id : null
      const completion = row.action === "store_action" && row.details?.route === "/store/carts/:id/complete"
      // An order_placed line names its order; a completion's line the order it was answered with.
      if ((row.action === "order_placed" || completion) && orderId && orderId !== cart.order_id) {
        placedOther = true
      }
      // A completion whose turn came after the cart had become an order (completion-lock.ts) changed nothing.
      if (completion && row.details?.order_created === false) continue
      // When the guard took the request (a line before that field: when it was written).
      const taken = Date.parse(String(row.details?.requested_at ?? "")) || row.created_at.getTime()
      if (row.action !== "store_action" || !(taken <= completedAt)) continue
      const act = acts.get(row.session_id) ?? { acted_at: new Date(0), completed_at: null }
      if (taken > act.acted_at.getTime()) act.acted_at = new Date(taken)
      // A completion answered with an order (a line of a version before requested_at and order_id: any completion).
      const placed = completion && (orderId !== null || !row.details?.requested_at)
      if (placed && !(act.completed_at && act.completed_at.getTime() <= taken)) {
        act.completed_at = new Date(taken)
      }
      acts.set(row.session_id, act)
    }
    return { acts, placed_other: placedOther }
  }

  /** The lines of the app's own (isOwnEventId) of `sessionIds` that `where` (SQL, with `bindings`) takes. */
  protected async ownLinesOf(
    sessionIds: string[],
    where: string,
    bindings: unknown[],
    sharedContext: Context<ModuleManager>
  ): Promise<Array<{ session_id: string; action: string; created_at: Date; details: Record<string, unknown> | null }>> {
    if (!sessionIds.length) {
      return []
    }
    // The details only as far as the callers read them: a line's details can be large.
    const rows = (await managerOf(sharedContext).execute(
      `select "session_id", "event_id", "action", "created_at",
              jsonb_build_object('route', "details"->>'route', 'requested_at', "details"->>'requested_at', 'order_id', "details"->>'order_id',
                                 'order_created', "details"->'order_created') as "details"
         from "login_as_customer_log_entry"
        where "session_id" in (${sessionIds.map(() => "?").join(", ")}) and "deleted_at" is null and "event_id" is not null${where}`,
      [...sessionIds, ...bindings]
    )) as Array<{ session_id: string; event_id: string; action: string; created_at: Date; details: Record<string, unknown> | null }>
    return rows
      .filter((row) => this.isOwnEventId(row.event_id))
      .map((row) => ({ session_id: row.session_id, action: row.action, created_at: new Date(row.created_at), details: row.details }))
  }

  /**
   * The app's own lines (isOwnEventId) withdrawing consent
   * (`assistance_updated` with `allowed` false) of `customerIds`, dated
   * between `from` and `to`, oldest first: who withdrew, and when.
   */
  @InjectManager()
  async consentWithdrawals(
    customerIds: string[],
    from: Date,
    to: Date,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<ConsentWithdrawal[]> {
    if (!customerIds.length) {
      return []
    }
    const rows = (await managerOf(sharedContext).execute(
      `select "customer_id", "event_id", "actor_type", "actor_id", "created_at" from "login_as_customer_log_entry"
        where "action" = 'assistance_updated' and "deleted_at" is null and "details"->>'allowed' = 'false'
          and "customer_id" in (${customerIds.map(() => "?").join(", ")}) and "created_at" between ? and ?
        order by "created_at", "id"`,
      [...customerIds, from, to]
    )) as Array<ConsentWithdrawal & { event_id: string | null }>
    return rows
      .filter((row) => this.isOwnEventId(row.event_id))
      .map(({ event_id: _, ...row }) => ({ ...row, created_at: new Date(row.created_at) }))
  }

  /**
   * Whether a line's event id is one the app writes: with the key, only an
   * id keyed with it (keyedEventId); without, any event id.
   */
  protected isOwnEventId(eventId: string | null): boolean {
    const key = resolveLogKey(this.options_?.log_key)
    return !!eventId && (!key || eventId === keyedEventId(key, eventId.split("#")[0]))
  }

  /**
   * The id of the newest of the app's lines of an action (isOwnEventId)
   * among its newest `scan` dated no later than now (the insert trigger
   * takes a line dated up to a day ahead); null when none of them is the
   * app's.
   */
  @InjectManager()
  async newestOwnLineId(
    action: string,
    scan = 100,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<string | null> {
    const rows = (await managerOf(sharedContext).execute(
      `select "id", "event_id" from "login_as_customer_log_entry"
        where "action" = ? and "deleted_at" is null and "created_at" <= now()
        order by "created_at" desc, "id" desc limit ?`,
      [action, scan]
    )) as Array<{ id: string; event_id: string | null }>
    return rows.find((row) => this.isOwnEventId(row.event_id))?.id ?? null
  }

  /**
   * Appends a log line. With an `event_id`, a second write of the same event is
   * a no-op (one atomic insert against a unique index), so a retried or
   * doubly delivered event never doubles a line. Returns whether a row was
   * written; throws when the table didn't take the line as written, or when
   * the event's line already there says otherwise (insertLogLine). With the
   * log's key, the line is written under the event's id keyed with it
   * (keyedEventId): ids such as `session_started:<session id>` are
   * predictable, and a line written first under one, with other content or
   * time, would make the app refuse what it records, or, for what can't be
   * refused any more (an order placed, a logout), leave it unlogged.
   */
  @InjectManager()
  async recordLogEntry(
    input: RecordLogEntryInput,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<boolean> {
    const manager = managerOf(sharedContext)
    const key = resolveLogKey(this.options_?.log_key)
    const line = key && input.event_id != null ? { ...input, event_id: keyedEventId(key, input.event_id) } : input
    return await insertLogLine((sql, bindings) => manager.execute(sql, bindings), generateEntityId(undefined, "lacl"), line)
  }
}
