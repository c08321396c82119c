import type { Context } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"

/** The module's MikroORM entity manager, which runs the statements the DSL can't express. */
export type ModuleManager = SqlEntityManager

/** The manager of the call: its transaction's when there is one. */
export function managerOf(sharedContext: Context<ModuleManager>): ModuleManager {
  const manager = sharedContext.transactionManager ?? sharedContext.manager
  if (!manager) {
    throw new Error("Login as Customer: the call has no entity manager (a method lacks @InjectManager)")
  }
  return manager
}

/** A transaction-scoped advisory lock: serializes read-then-write on one key. */
export async function lockKey(sharedContext: Context<ModuleManager>, key: string): Promise<void> {
  await managerOf(sharedContext).execute("select pg_advisory_xact_lock(hashtext(?))", [
    `login_as_customer:${key}`,
  ])
}

/** A statement's rows. */
export const plainly = <T>(manager: ModuleManager, sql: string, params: unknown[]) => manager.execute<T[]>(sql, params)

/**
 * A statement's rows, planned with sequential scans and parallel workers
 * off: for a read through an index (or a walk of one) that the planner
 * can't estimate. One round trip: the settings go with the statement in
 * one simple query (MikroORM writes the values into the text), which
 * PostgreSQL runs as one implicit transaction, so `set local` ends with it
 * (inside a caller's transaction, with that one); one result a statement.
 */
export async function withIndexes<T>(manager: ModuleManager, sql: string, params: unknown[]): Promise<T[]> {
  const results = await manager.execute<unknown[]>(
    `set local enable_seqscan = off; set local max_parallel_workers_per_gather = 0; ${sql}`,
    params
  )
  return results[results.length - 1] as T[]
}
