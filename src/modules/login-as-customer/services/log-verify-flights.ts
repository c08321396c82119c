import type { VerifyResult } from "../log-integrity"

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
    let conn: unknown
    for (let wait = FIRST_RETRY_MS; ; wait = Math.min(wait * 2, LAST_RETRY_MS)) {
      conn = await sql.client.acquireConnection()
      let locked = false
      try {
        const { rows } = await sql.raw(`select pg_try_advisory_lock(hashtext(?)) as "locked"`, [lock]).connection(conn)
        locked = rows[0]?.locked === true
      } finally {
        if (!locked) {
          await sql.client.releaseConnection(conn)
        }
      }
      if (locked) {
        break
      }
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
    flight.waiting_for_lock = false
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
