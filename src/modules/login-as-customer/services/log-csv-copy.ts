import type { Readable, Writable } from "stream"
import { to as copyTo } from "pg-copy-streams"
import { msFromEnv } from "../utils/env"
import { slots } from "../utils/slots"
import { CopyRows } from "./log-csv-rows"

/** What the export needs of knex: its pool's raw connections, and a query on another one. */
export type CopyKnex = {
  client: { acquireConnection(): Promise<unknown>; releaseConnection(connection: unknown): Promise<unknown> }
  raw(sql: string, bindings?: unknown[]): Promise<unknown>
}

/** The node-postgres client of a pooled connection, as far as the export uses it. */
type PgClient = {
  processID: number
  escapeLiteral(text: string): string
  query(sql: string): Promise<unknown>
  query<T>(submittable: T): T
  end(): Promise<void>
  __knex__disposed?: unknown
}

/** How long an aborted COPY may take to stop before its connection is closed instead. */
const CANCEL_WAIT_MS = 5_000

/**
 * Exports running at once in one server process, each holding a connection
 * of the pool Medusa's other requests share: more wait their turn (holding
 * none), so downloads left unread can't take the whole pool.
 */
export const EXPORT_SLOTS = 2

/**
 * How long an export may wait on a download that reads nothing before it is
 * given up (cancelled, the download cut short): a browser's paused or
 * stalled download frees its slot. `LOGIN_AS_CUSTOMER_EXPORT_STALL_MS`
 * changes it.
 */
export function exportStallMs(): number {
  return msFromEnv("LOGIN_AS_CUSTOMER_EXPORT_STALL_MS", 60_000)
}

const takeSlot = slots(EXPORT_SLOTS)

/**
 * `?` placeholders replaced by literals, for a statement that takes no bind
 * parameters (COPY): texts through node-postgres's escapeLiteral (quotes
 * doubled, backslashes doubled under E''), times as ISO 8601 in UTC,
 * finite numbers as they are. Anything else (or a text with a NUL), or a count that doesn't match,
 * is refused rather than guessed at.
 */
export function inlineParams(sql: string, params: unknown[], escapeLiteral: (text: string) => string): string {
  const parts = sql.split("?")
  if (parts.length - 1 !== params.length) {
    throw new Error(`Login as Customer: ${parts.length - 1} placeholders for ${params.length} values`)
  }
  return parts.reduce((text, part, i) => `${text}${literal(params[i - 1], escapeLiteral)}${part}`)
}

function literal(value: unknown, escapeLiteral: (text: string) => string): string {
  if (typeof value === "string") {
    // A NUL would end the statement's text early (the API refuses it before this).
    if (value.includes("\u0000")) {
      throw new Error("Login as Customer: a filter value holds a NUL character")
    }
    return escapeLiteral(value)
  }
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return escapeLiteral(value.toISOString())
  }
  if (typeof value === "number" && Number.isFinite(value)) {
    return String(value)
  }
  throw new Error(`Login as Customer: can't write ${typeof value} as an SQL literal`)
}

const NO_BYTES = Buffer.alloc(0)

/** pg-copy-streams' COPY TO query, as far as copyRowsQuery replaces its parsing. */
type CopyToInternals = Readable & {
  rowCount: number
  connection: { stream: Readable } | null
  _pgDataHandler: ((data: Buffer) => void) | null
  _onReadableEvent: () => void
  _parse(chunk: Buffer): boolean
  _detach(): void
  _cleanup(): void
}

/**
 * A pg-copy-streams COPY TO query whose output is the CSV lines (CopyRows,
 * the first cell a UTC time) rather than the bytes of the messages joined: the same
 * submission, backpressure and hand-over to node-postgres at the end or
 * at an error (its `_parse` and `_detach` replaced; pg-copy-streams is
 * pinned), each byte read once, into its line.
 */
function copyRowsQuery(sql: string): CopyToInternals {
  const query = copyTo(sql) as unknown as CopyToInternals
  const rows = new CopyRows(true)
  let rest: Buffer = NO_BYTES
  query._parse = function (this: CopyToInternals, chunk: Buffer): boolean {
    const taken = rows.take(chunk)
    const drained = taken.rows.length ? this.push(taken.rows) : true
    if (taken.end === "error") {
      rest = taken.rest
      this._detach()
      return false
    }
    if (taken.end === "done") {
      rest = taken.rest
      this._detach()
      this.push(null)
      this._cleanup()
    }
    return drained
  }
  query._detach = function (this: CopyToInternals) {
    const stream = this.connection!.stream
    stream.removeListener("readable", this._onReadableEvent)
    stream.addListener("data", this._pgDataHandler!)
    this._pgDataHandler!(rest)
    rest = NO_BYTES
    // As pg-copy-streams does: resumed after the handler, which may have paused it.
    process.nextTick(() => stream.resume())
  }
  return query
}

/**
 * What copyCsvTo sets on its connection before the COPY (and resets after
 * it, but for the DateStyle): no parallel workers, and with `inOrder` no
 * sort where an index gives the order. The planner sorts a whole log read
 * in its table's order when the table's order is not the time's (a log
 * whose old pages retention freed and new lines filled; the bench's seed,
 * written by two statements at once): at 10 000 000 lines the first row
 * came after 50–60 s and the backend spent 36–40 s in all, against 5 ms and
 * 28–31 s through the time's index (under load 8).
 */
export function copySettings(inOrder: boolean): string {
  return `set datestyle to 'ISO'; set max_parallel_workers_per_gather = 0; set enable_sort = ${inOrder ? "off" : "on"}`
}

/**
 * Runs `COPY (query) TO STDOUT (FORMAT binary)` on a connection of its own
 * from the pool and writes the rows as CSV lines (CopyRows: CRLF, the cells
 * as csvCell writes them; every column of the query must be a text) into
 * `destination`, which it
 * doesn't end, at the pace `destination` drains: PostgreSQL waits on a full
 * socket, so the server holds a chunk at a time. When `destination` closes
 * first (the browser dropped the download), or `gone` aborts (its client's
 * connection closed: a response queued behind another on a connection never
 * sees "close"), the COPY is cancelled and the rest of its output read and
 * dropped; if it doesn't stop in time, the connection is closed; a download
 * that reads nothing for exportStallMs() is closed the same way. The
 * connection goes back to the pool in every case. At most EXPORT_SLOTS run
 * at once in a process; more wait their turn, and leave when `gone` aborts.
 * The query's first column is a time: a `timestamp` in UTC, written as
 * toISOString writes it (CopyRows); the connection's DateStyle is set to
 * ISO for it (what node-postgres reads dates in anyway).
 * The COPY runs without parallel workers (the setting is reset before the
 * connection goes back to the pool): past about a million rows the planner
 * chooses a Gather Merge over the index, whose workers take the cores the
 * server and the backend need and whose queues cost the backend more than
 * they save (2 000 000 rows: about 7.7 s against 9–11 s with them).
 * With `inOrder`, the COPY runs with `enable_sort` off (copySettings), so
 * the rows come through an index in the query's order rather than from a
 * sort of all of them.
 * Returns the rows PostgreSQL sent, or null when the copy was cut short.
 */
export async function copyCsvTo(
  knex: CopyKnex,
  name: string,
  query: (escapeLiteral: (text: string) => string) => string,
  destination: Writable,
  gone?: AbortSignal,
  { inOrder = false }: { inOrder?: boolean } = {}
): Promise<number | null> {
  const giveSlot = await takeSlot(gone)
  if (destination.destroyed || destination.writableEnded || gone?.aborted) {
    giveSlot()
    return null
  }
  let connection: PgClient
  try {
    connection = (await knex.client.acquireConnection()) as PgClient
  } catch (error) {
    giveSlot()
    throw error
  }
  let healthy = true
  let stall: NodeJS.Timeout | undefined
  try {
    // Named in pg_stat_activity (which cuts a statement's text at 1 kB by default).
    const sql = `/* ${name} */ copy (${query((text) => connection.escapeLiteral(text))}) to stdout (format binary)`
    await connection.query(copySettings(inOrder))
    const copy = connection.query(copyRowsQuery(sql))
    return await new Promise<number | null>((resolve, reject) => {
      let settled = false
      const finish = (error: unknown, rows: number | null) => {
        if (settled) return
        settled = true
        copy.off("data", onData)
        destination.off("drain", onDrain)
        destination.off("close", onClose)
        gone?.removeEventListener("abort", onClose)
        if (error) reject(error)
        else resolve(rows)
      }
      const onData = (chunk: Buffer) => {
        if (!destination.write(chunk)) {
          copy.pause()
          // destroy() emits no "close" for a response still queued behind another on its connection.
          stall ??= setTimeout(() => (destination.destroy(), onClose()), exportStallMs())
        }
      }
      const onDrain = () => {
        clearTimeout(stall)
        stall = undefined
        copy.resume()
      }
      const onClose = () => {
        if (settled) return
        settled = true
        copy.off("data", onData)
        destination.off("drain", onDrain)
        gone?.removeEventListener("abort", onClose)
        cancel(knex, connection, copy).then(
          (stopped) => {
            healthy = stopped
            resolve(null)
          },
          (error) => {
            healthy = false
            reject(error)
          }
        )
      }
      copy.on("data", onData)
      copy.once("end", () => finish(null, copy.rowCount))
      copy.once("error", (error) => finish(error, null))
      destination.on("drain", onDrain)
      destination.once("close", onClose)
      gone?.addEventListener("abort", onClose, { once: true })
      if (destination.destroyed || destination.writableEnded || gone?.aborted) {
        onClose()
      }
    })
  } finally {
    clearTimeout(stall)
    if (healthy) {
      healthy = await connection.query(`reset max_parallel_workers_per_gather; reset enable_sort`).then(() => true, () => false)
    }
    if (!healthy) {
      // Closed, and marked so the pool drops it instead of handing it out again.
      connection.__knex__disposed = "Login as Customer: an export's COPY did not stop"
      connection.end().catch(() => undefined)
    }
    await knex.client.releaseConnection(connection).finally(giveSlot)
  }
}

/**
 * Stops a COPY whose reader went away: pg_cancel_backend from another
 * connection first, then this one reads and drops what is left until
 * PostgreSQL answers (the cancel's error, or the end when it had just
 * finished). A backend acts on a cancel only between rows, not while it
 * waits on a full socket, so reading on is what lets it stop; reading
 * before the cancel is sent would let it run to the end. True when the
 * connection is clean again.
 */
async function cancel(knex: CopyKnex, connection: PgClient, copy: NodeJS.ReadableStream & { rowCount: number }): Promise<boolean> {
  copy.pause()
  const stopped = new Promise<boolean>((resolve) => {
    copy.once("end", () => resolve(true))
    copy.once("error", () => resolve(true))
  })
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CANCEL_WAIT_MS)
  })
  try {
    await Promise.race([knex.raw("select pg_catalog.pg_cancel_backend(?)", [connection.processID]), timeout])
  } catch {
    // Closing the connection (on the timeout below) ends the COPY too.
  }
  copy.on("data", () => undefined)
  copy.resume()
  try {
    return await Promise.race([stopped, timeout])
  } finally {
    clearTimeout(timer)
  }
}
