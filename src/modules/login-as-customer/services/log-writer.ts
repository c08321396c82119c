import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, MedusaContext } from "@medusajs/framework/utils"
import { keyedEventId, resolveLogKey } from "../log-integrity/key"
import type { PluginOptions } from "../options"
import { BaseDependencies, InternalService } from "../utils/internal-service"
import { insertLogLine } from "../utils/log-line"
import type { RecordLogEntryInput } from "../utils/log-line"
import { managerOf, ModuleManager } from "../utils/sql"

export type { RecordLogEntryInput }

/** What eventLine reads of an event's line. */
export type EventLine = {
  user_id: string | null
  customer_id: string | null
  session_id: string | null
  storefront_id: string | null
  mode: string | null
  reason: string | null
}

/** Writes of the log: append-only, one line per event. */
export class LogWriterService extends InternalService {
  protected readonly options_: PluginOptions

  constructor(dependencies: BaseDependencies & { loginAsCustomerOptions: PluginOptions }) {
    super(dependencies)
    this.options_ = dependencies.loginAsCustomerOptions
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
  /**
   * Who and what the log's line of event `eventId` records (under its keyed
   * id when a key is set), or null when the log holds none: its admin,
   * customer, session, and its details' storefront, mode and reason (read in SQL,
   * not the whole details).
   */
  @InjectManager()
  async eventLine(
    eventId: string,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<EventLine | null> {
    const key = resolveLogKey(this.options_?.log_key)
    const id = key ? keyedEventId(key, eventId) : eventId
    // Under its plain id only when the keyed one is missing: written before the key was set.
    const rows = (await managerOf(sharedContext).execute(
      `select "user_id", "customer_id", "session_id", "details"->>'storefront_id' as "storefront_id", "details"->>'mode' as "mode",
              "details"->>'reason' as "reason"
         from "login_as_customer_log_entry" where "event_id" in (?, ?) and "deleted_at" is null
        order by ("event_id" = ?) desc limit 1`,
      [id, eventId, id]
    )) as EventLine[]
    return rows[0] ?? null
  }

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
