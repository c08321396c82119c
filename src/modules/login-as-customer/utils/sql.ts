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
