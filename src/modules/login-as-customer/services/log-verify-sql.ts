import type { Sql } from "../log-integrity/checkpoint"
import { CHECKPOINT_TABLE, LOG_TABLE, VERIFICATION_TABLE } from "../log-integrity/sql"
import type { PooledSql } from "./log-verify-flights"
import { msFromEnv } from "../utils/env"

/**
 * How long a verification's statement waits for a lock on the log's tables
 * before it gives up (ms): PostgreSQL's `lock_timeout`, set on the
 * connections a verification uses while it uses them, so that a session
 * holding the tables (`LOCK TABLE … IN ACCESS EXCLUSIVE MODE`, an `ALTER
 * TABLE` left open) can't hold a verification forever.
 * `LOGIN_AS_CUSTOMER_VERIFY_LOCK_TIMEOUT_MS` changes it.
 */
export function verificationLockTimeoutMs(): number {
  return Math.ceil(msFromEnv("LOGIN_AS_CUSTOMER_VERIFY_LOCK_TIMEOUT_MS", 30_000))
}

/** A verification that stopped because another session holds a lock on the log's tables. */
export class LogLockedError extends Error {
  readonly code = "log_locked"

  constructor(readonly pid: number | null) {
    super(
      `the log's tables are locked by another session${pid ? ` (PostgreSQL pid ${pid})` : ""}: nothing was verified; try again later`
    )
    this.name = "LogLockedError"
  }
}

/** PostgreSQL's lock_not_available: a lock wait ended by `lock_timeout`. */
const LOCK_NOT_AVAILABLE = "55P03"

/** The other session holding a lock on the log's tables that a reader or the verification's record waits for, if any. */
async function lockHolder(pool: PooledSql, conn: unknown): Promise<number | null> {
  const { rows } = await pool
    .raw(
      `select l."pid" from pg_catalog.pg_locks l
        where l."granted" and l."pid" <> pg_catalog.pg_backend_pid()
          and l."relation" in (pg_catalog.to_regclass(?), pg_catalog.to_regclass(?), pg_catalog.to_regclass(?))
          and l."mode" in ('AccessExclusiveLock', 'ExclusiveLock', 'ShareRowExclusiveLock', 'ShareLock')
        order by (l."mode" = 'AccessExclusiveLock') desc, l."pid" limit 1`,
      [LOG_TABLE, CHECKPOINT_TABLE, VERIFICATION_TABLE]
    )
    .connection(conn)
  return rows[0]?.pid ?? null
}

/**
 * The pool as verification's statements see it: each runs on a connection
 * of the pool with `lock_timeout` set for it (and reset before the
 * connection goes back), so statements still run side by side; one that
 * waits longer for a lock fails with a LogLockedError naming who holds it.
 */
export function withLockTimeout(pool: PooledSql, ms: number): Sql {
  return {
    raw: async (statement: string, bindings?: unknown[]) => {
      const conn = await pool.client.acquireConnection()
      try {
        await pool.raw(`select pg_catalog.set_config('lock_timeout', ?, false)`, [`${ms}ms`]).connection(conn)
        try {
          return await (bindings ? pool.raw(statement, bindings) : pool.raw(statement)).connection(conn)
        } catch (error) {
          if ((error as { code?: string })?.code === LOCK_NOT_AVAILABLE) {
            throw new LogLockedError(await lockHolder(pool, conn).catch(() => null))
          }
          throw error
        }
      } finally {
        await pool
          .raw(`reset lock_timeout`)
          .connection(conn)
          .catch(() => undefined)
        await pool.client.releaseConnection(conn)
      }
    },
  }
}
