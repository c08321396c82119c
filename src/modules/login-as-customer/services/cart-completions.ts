import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, MedusaContext } from "@medusajs/framework/utils"
import { InternalService } from "../utils/internal-service"
import { managerOf, ModuleManager } from "../utils/sql"

/**
 * How long a completion's note (startCartCompletion) is taken for running at
 * most: a completion runs seconds, and its request's process may die before
 * ending it.
 */
const COMPLETION_STALE_SECONDS = 10 * 60

/** Notes left over (their request's process died) are deleted after an hour. */
const COMPLETION_KEPT_SECONDS = 60 * 60

/**
 * The notes of the cart completions sessions' requests run
 * (`login_as_customer_cart_completion`), which Medusa's `order.placed`
 * subscriber waits on.
 */
export class CartCompletionService extends InternalService {
  /**
   * Notes a completion of a cart a session's request runs now, before the
   * store runs it, until that request's line is written (endCartCompletion).
   * Returns the note's id. Nothing is held meanwhile.
   */
  @InjectManager()
  async startCartCompletion(
    cartId: string,
    sessionId: string,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<string> {
    const id = generateEntityId(undefined, "lacco")
    await managerOf(sharedContext).execute(
      `insert into "login_as_customer_cart_completion" ("id", "cart_id", "session_id", "created_at", "updated_at")
       values (?, ?, ?, pg_catalog.clock_timestamp(), pg_catalog.clock_timestamp())`,
      [id, cartId, sessionId]
    )
    return id
  }

  /** Ends the note of a completion (startCartCompletion): its request's line is written, or couldn't be. */
  @InjectManager()
  async endCartCompletion(id: string, @MedusaContext() sharedContext: Context<ModuleManager> = {}): Promise<void> {
    await managerOf(sharedContext).execute(`delete from "login_as_customer_cart_completion" where "id" = ?`, [id])
  }

  /**
   * Whether a session's request is completing the cart now: a note of it
   * (startCartCompletion) not ended. One older than COMPLETION_STALE_SECONDS
   * is taken for a request its process didn't live to end; one dated ahead
   * of the database's clock, which dates every note the app writes, for none.
   */
  @InjectManager()
  async cartCompletionInFlight(cartId: string, @MedusaContext() sharedContext: Context<ModuleManager> = {}): Promise<boolean> {
    const rows = await managerOf(sharedContext).execute<Array<{ id: string }>>(
      `select "id" from "login_as_customer_cart_completion"
        where "cart_id" = ? and "deleted_at" is null
          and "created_at" > now() - make_interval(secs => ?) and "created_at" <= pg_catalog.clock_timestamp()
        limit 1`,
      [cartId, COMPLETION_STALE_SECONDS]
    )
    return rows.length > 0
  }

  /** Deletes the notes no request ended within an hour (COMPLETION_KEPT_SECONDS), and those dated ahead. */
  @InjectManager()
  async purgeCartCompletions(@MedusaContext() sharedContext: Context<ModuleManager> = {}): Promise<void> {
    await managerOf(sharedContext).execute(
      `delete from "login_as_customer_cart_completion"
        where "created_at" < now() - make_interval(secs => ?) or "created_at" > pg_catalog.clock_timestamp()`,
      [COMPLETION_KEPT_SECONDS]
    )
  }
}
