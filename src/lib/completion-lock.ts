import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/** The first key of the advisory locks on carts being completed in a session (the second is the cart id's hash). */
const COMPLETION_LOCKS = 0x1ac5c0

/** How long either side waits for the lock before going on without it. */
const WAIT = "10s"

type PgConnection = { query: (sql: string, values?: unknown[]) => Promise<unknown> }
type PoolClient = { acquireConnection: () => Promise<PgConnection>; releaseConnection: (connection: PgConnection) => Promise<unknown> }

/**
 * Holds a lock on a cart while a session completes it, until `release`
 * (the store guard releases it when the answer is sent, after it attributed
 * the order). Medusa's `order.placed` subscriber waits for it
 * (awaitCartCompletion): it runs before the completion's own line is
 * written, and would decide without it. A lock not had within 10 s (held
 * by someone else) is gone on without.
 */
export async function holdCartCompletion(container: MedusaContainer, cartId: string): Promise<() => Promise<void>> {
  const client = (container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as unknown as { client: PoolClient }).client
  const connection = await client.acquireConnection()
  let held = false
  try {
    await connection.query(`set lock_timeout = '${WAIT}'`)
    await connection.query("select pg_catalog.pg_advisory_lock($1, pg_catalog.hashtext($2))", [COMPLETION_LOCKS, cartId])
    held = true
  } catch {
    // Not had in time: the completion goes on without it.
  }
  let released = false
  return async () => {
    if (released) return
    released = true
    try {
      if (held) {
        await connection.query("select pg_catalog.pg_advisory_unlock($1, pg_catalog.hashtext($2))", [COMPLETION_LOCKS, cartId])
      }
      await connection.query("reset lock_timeout")
    } finally {
      await client.releaseConnection(connection)
    }
  }
}

/** Waits (10 s at most) until no session is completing the cart (holdCartCompletion). */
export async function awaitCartCompletion(container: MedusaContainer, cartId: string): Promise<void> {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  await knex
    .transaction(async (trx) => {
      await trx.raw(`set local lock_timeout = '${WAIT}'`)
      await trx.raw("select pg_catalog.pg_advisory_xact_lock(?, pg_catalog.hashtext(?))", [COMPLETION_LOCKS, cartId])
    })
    .catch(() => undefined)
}
