import type { VerifyResult } from "../log-integrity"
import { msFromEnv } from "../utils/env"

/** What the flights need of knex: a statement on one connection, and that connection's loan from the pool. */
export type PooledSql = {
  raw: (sql: string, bindings?: unknown[]) => { connection: (conn: unknown) => Promise<{ rows: any[] }> }
  client: { acquireConnection: () => Promise<unknown>; releaseConnection: (conn: unknown) => Promise<unknown> }
}

/** The PostgreSQL advisory lock (session level, `hashtext` of this) held while a verification of a kind runs. */
export function verificationLockName(kind: string): string {
  return `login_as_customer:log_verification:${kind}`
}

/** How long a verification waits before asking again for the lock another process holds (ms). */
const FIRST_RETRY_MS = 50
const LAST_RETRY_MS = 1000

/**
 * How long a verification waits for its kind's lock before it runs without
 * it (ms): the lock only spares the store two identical recomputes at once,
 * so whoever holds it (another verification, or any session that took it)
 * can't hold verification back. `LOGIN_AS_CUSTOMER_VERIFY_LOCK_WAIT_MS`
 * changes it.
 */
export function verificationLockWaitMs(): number {
  return msFromEnv("LOGIN_AS_CUSTOMER_VERIFY_LOCK_WAIT_MS", 30_000)
}

type Flight = { promise: Promise<VerifyResult>; callers: number; waiting_for_lock: boolean }

/** One verification kind in flight: how many callers wait on it and whether it still waits for another process. */
export type FlightState = { kind: string; callers: number; waiting_for_lock: boolean }

/**
 * Verifications of one kind, coalesced. In this process, a caller that comes
 * while one runs (or waits for its turn) joins it and gets its answer: one
 * recompute, however many admins, scripts and jobs ask at once. Across
 * processes, a verification runs only while it holds its kind's advisory
 * lock (taken with pg_try_advisory_lock on a connection of its own, asked
 * again until free, holding no connection in between): at most one of each
 * kind at a time in the whole store. A process that finds it taken waits,
 * then runs its own (the other's answer may predate its callers' requests).
 */
export class VerificationFlights {
  protected readonly flights_ = new Map<string, Flight>()

  constructor(protected readonly sql_: () => PooledSql) {}

  /**
   * `verify` for callers of `kind`, joined with the one in flight, if any; run
   * while holding the advisory lock of `lockKind` (one per kind of recompute).
   */
  run(kind: string, lockKind: string, verify: () => Promise<VerifyResult>): Promise<VerifyResult> {
    const running = this.flights_.get(kind)
    if (running) {
      running.callers++
      return running.promise
    }
    const flight: Flight = { promise: undefined as never, callers: 1, waiting_for_lock: true }
    flight.promise = this.exclusive_(lockKind, flight, verify).finally(() => {
      if (this.flights_.get(kind) === flight) {
        this.flights_.delete(kind)
      }
    })
    this.flights_.set(kind, flight)
    return flight.promise
  }

  /** The verifications in flight in this process. */
  state(): FlightState[] {
    return [...this.flights_].map(([kind, f]) => ({ kind, callers: f.callers, waiting_for_lock: f.waiting_for_lock }))
  }

  protected async exclusive_(lockKind: string, flight: Flight, verify: () => Promise<VerifyResult>): Promise<VerifyResult> {
    const sql = this.sql_()
    const lock = verificationLockName(lockKind)
    const giveUpAt = Date.now() + verificationLockWaitMs()
    let conn: unknown = null
    let holder: number | null = null
    for (let wait = FIRST_RETRY_MS; ; wait = Math.min(wait * 2, LAST_RETRY_MS)) {
      const tried = await sql.client.acquireConnection()
      try {
        const { rows } = await sql
          .raw(
            `select pg_try_advisory_lock(hashtext(?)) as "locked",
                    (select min(l."pid") from pg_catalog.pg_locks l
                      where l."locktype" = 'advisory' and l."granted" and l."objsubid" = 1 and l."pid" <> pg_catalog.pg_backend_pid()
                        and l."classid"::text::bigint = ((hashtext(?)::bigint >> 32) & 4294967295)
                        and l."objid"::text::bigint = (hashtext(?)::bigint & 4294967295)) as "holder"`,
            [lock, lock, lock]
          )
          .connection(tried)
        conn = rows[0]?.locked === true ? tried : null
        holder = rows[0]?.holder ?? holder
      } finally {
        if (!conn) {
          await sql.client.releaseConnection(tried)
        }
      }
      if (conn || Date.now() + wait > giveUpAt) {
        break
      }
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
    flight.waiting_for_lock = false
    if (!conn) {
      // Held longer than a verification should wait: run without it, and say so.
      const result = await verify()
      const note = `ran without waiting longer for another verification${holder ? ` (PostgreSQL pid ${holder})` : ""} holding the lock`
      return { ...result, note: result.note ? `${result.note}; ${note}` : note }
    }
    try {
      return await verify()
    } finally {
      // A failed unlock means a broken connection: PostgreSQL ends its session, and its lock with it.
      await sql
        .raw(`select pg_advisory_unlock(hashtext(?))`, [lock])
        .connection(conn)
        .catch(() => undefined)
      await sql.client.releaseConnection(conn)
    }
  }
}
