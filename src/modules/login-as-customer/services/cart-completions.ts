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

/** How long an ended note is kept: a completion behind it reads it when answered (completionBehindAnother). */
const COMPLETION_KEPT_SECONDS = 60 * 60

/**
 * The notes of the cart completions the store runs
 * (`login_as_customer_cart_completion`): which are running, and which
 * completion created a cart's order.
 */
export class CartCompletionService extends InternalService {
  /**
   * Notes a completion of a cart a request runs now, before the store runs
   * it (`sessionId`: the session's request, or null for any other), until
   * it is answered (endCartCompletion). Returns the note's id. Nothing is
   * held meanwhile.
   */
  @InjectManager()
  async startCartCompletion(
    cartId: string,
    sessionId: string | null,
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

  /**
   * Ends the note of a completion (startCartCompletion): it was answered
   * (with `orderId`, the order it was answered with, if any), or a
   * session's line of it is written (or couldn't be). The note is kept an
   * hour, for completions taken behind it (completionBehindAnother).
   */
  @InjectManager()
  async endCartCompletion(
    id: string,
    orderId: string | null,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<void> {
    await managerOf(sharedContext).execute(
      `update "login_as_customer_cart_completion" set "deleted_at" = pg_catalog.clock_timestamp(), "order_id" = ?
        where "id" = ? and "deleted_at" is null`,
      [orderId, id]
    )
  }

  /**
   * Whether a session's request is completing the cart now: a note of a
   * session's completion (startCartCompletion) not ended. One older than
   * COMPLETION_STALE_SECONDS is taken for a request its process didn't live to end.
   */
  @InjectManager()
  async cartCompletionInFlight(cartId: string, @MedusaContext() sharedContext: Context<ModuleManager> = {}): Promise<boolean> {
    const rows = await managerOf(sharedContext).execute<Array<{ id: string }>>(
      `select "id" from "login_as_customer_cart_completion"
        where "cart_id" = ? and "session_id" is not null and "deleted_at" is null
          and "created_at" > now() - make_interval(secs => ?) limit 1`,
      [cartId, COMPLETION_STALE_SECONDS]
    )
    return rows.length > 0
  }

  /**
   * Whether the completion noted as `id`, answered with the order
   * `orderId`, didn't create it: another completion of the cart was taken
   * before it (its note is older) and was answered with that order, or is
   * still running (not ended, nor stale). Medusa completes a cart under its
   * lock, and answers a completion that waited on it with the order the one
   * holding it created. A note ended without that order (a completion that
   * failed) doesn't count.
   */
  @InjectManager()
  async completionBehindAnother(
    id: string,
    orderId: string,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<boolean> {
    const rows = await managerOf(sharedContext).execute<Array<{ id: string }>>(
      `select other."id" from "login_as_customer_cart_completion" mine
         join "login_as_customer_cart_completion" other
           on other."cart_id" = mine."cart_id" and other."id" <> mine."id" and other."created_at" < mine."created_at"
        where mine."id" = ?
          and (other."order_id" = ? or (other."deleted_at" is null and other."created_at" > mine."created_at" - make_interval(secs => ?)))
        limit 1`,
      [id, orderId, COMPLETION_STALE_SECONDS]
    )
    return rows.length > 0
  }

  /** Deletes the notes written more than an hour ago (COMPLETION_KEPT_SECONDS). */
  @InjectManager()
  async purgeCartCompletions(@MedusaContext() sharedContext: Context<ModuleManager> = {}): Promise<void> {
    await managerOf(sharedContext).execute(
      `delete from "login_as_customer_cart_completion" where "created_at" < now() - make_interval(secs => ?)`,
      [COMPLETION_KEPT_SECONDS]
    )
  }
}
