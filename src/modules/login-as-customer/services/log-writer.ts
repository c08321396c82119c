import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, MedusaContext } from "@medusajs/framework/utils"
import { InternalService } from "../utils/internal-service"
import { insertLogLine } from "../utils/log-line"
import type { RecordLogEntryInput } from "../utils/log-line"
import { managerOf, ModuleManager } from "../utils/sql"

export type { RecordLogEntryInput }

/** Writes of the log: append-only, one line per event. */
export class LogWriterService extends InternalService {
  /**
   * Appends a log line. With an `event_id`, a second write of the same event is
   * a no-op (one atomic insert against a unique index), so a retried or
   * doubly delivered event never doubles a line. Returns whether a row was
   * written; throws when the table didn't take the line as written, or when
   * the event's line already there says otherwise (insertLogLine).
   */
  @InjectManager()
  async recordLogEntry(
    input: RecordLogEntryInput,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<boolean> {
    const manager = managerOf(sharedContext)
    return await insertLogLine((sql, bindings) => manager.execute(sql, bindings), generateEntityId(undefined, "lacl"), input)
  }
}
