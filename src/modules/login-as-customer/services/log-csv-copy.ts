import type { Readable, Writable } from "stream"
import { to as copyTo } from "pg-copy-streams"
import { msFromEnv } from "../utils/env"
import { slots } from "../utils/slots"

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

/** Protocol message codes a COPY's output holds (PostgreSQL's frontend/backend protocol). */
const COPY_DATA = 0x64 // d
const ERROR_RESPONSE = 0x45 // E
/** Messages that may come between the rows and don't end the copy. */
const INTERSPERSED = new Set([0x48 /* CopyOutResponse */, 0x53 /* ParameterStatus */, 0x4e /* NoticeResponse */, 0x41 /* NotificationResponse */])
const NO_BYTES = Buffer.alloc(0)

/** The longest `timestamp` text in DateStyle ISO (`2026-05-27 00:55:21.231635`) and its comma. */
const TIME_CELL_MAX = 27

/**
 * Whether the `length` bytes at `at` are a `timestamp` as DateStyle ISO
 * writes it: `YYYY-MM-DD HH:MI:SS`, then `.` and 1–6 digits unless the
 * fraction is zero (PostgreSQL drops its trailing zeros).
 */
function isIsoTime(bytes: Buffer, at: number, length: number): boolean {
  return (
    (length === 19 || (length >= 21 && length <= 26 && bytes[at + 19] === 46)) &&
    bytes[at + 4] === 45 && bytes[at + 7] === 45 && bytes[at + 10] === 32 && bytes[at + 13] === 58 && bytes[at + 16] === 58
  )
}

/**
 * The rows of a `COPY … TO STDOUT` from the protocol's bytes as they come
 * off the socket, each ending with CRLF (RFC 4180, as csvRow writes them)
 * instead of COPY's line feed. PostgreSQL sends every row as one CopyData
 * message ending with its line feed, so the row ends are known from the
 * messages' lengths: the rows are copied, never scanned byte by byte, and
 * a line feed inside a quoted cell is left as it is. A chunk may end
 * anywhere (in a header, in a row); the state carries over to the next.
 * `take` answers the rows of a chunk, and how the copy ended in it: at an
 * ErrorResponse or at CopyDone (or any other message), with the bytes
 * from there on (`rest`) for node-postgres to read.
 *
 * With `utcTimeFirst`, each row's first cell is a `timestamp` in DateStyle
 * ISO (`2026-05-27 00:55:21.231635`, the time in UTC) and is written as
 * toISOString writes it (`2026-05-27T00:55:21.231Z`, the milliseconds
 * truncated as to_char's `MS` does): PostgreSQL's own output of the time
 * costs its backend a fifth of to_char's, and the backend is what bounds
 * the export. A first cell of another shape (empty, or a year past 9999)
 * is left as it is.
 */
export class CopyRows {
  /** A message header cut by the chunk's end (under 5 bytes), or a row's start before its first cell is whole. */
  private head: Buffer = NO_BYTES
  /** Bytes of the current message still to come. */
  private left = 0
  private data = false
  private closing = false

  constructor(private readonly utcTimeFirst = false) {}

  take(chunk: Buffer): { rows: Buffer; end: "error" | "done" | null; rest: Buffer } {
    const bytes = this.head.length ? Buffer.concat([this.head, chunk]) : chunk
    this.head = NO_BYTES
    // Each row adds a byte (CR) and its header takes five; a time grows by at most five, in a row of 25 bytes at least.
    const rows = Buffer.allocUnsafe(bytes.length + (this.utcTimeFirst ? Math.ceil(bytes.length / 20) : 0) + 8)
    let at = 0
    let i = 0
    const done = (end: "error" | "done") => ({ rows: rows.subarray(0, at), end, rest: bytes.subarray(i) })
    while (i < bytes.length) {
      if (this.left > 0) {
        const n = Math.min(this.left, bytes.length - i)
        if (this.data) {
          if (n === this.left && bytes[i + n - 1] === 10) {
            at += bytes.copy(rows, at, i, i + n - 1)
            rows[at++] = 13
            rows[at++] = 10
          } else {
            at += bytes.copy(rows, at, i, i + n)
          }
        }
        i += n
        this.left -= n
        if (this.left === 0 && this.closing) return done("done")
        continue
      }
      const code = bytes[i]
      if (code === ERROR_RESPONSE) return done("error")
      if (bytes.length - i < 5) {
        this.head = Buffer.from(bytes.subarray(i))
        break
      }
      const length = bytes.readUInt32BE(i + 1) - 4
      this.data = code === COPY_DATA
      this.closing = !this.data && !INTERSPERSED.has(code)
      if (this.data && this.utcTimeFirst) {
        const scan = Math.min(length, TIME_CELL_MAX)
        if (bytes.length - i - 5 < scan) {
          // The first cell is cut by the chunk's end: the row starts again with the next chunk.
          this.head = Buffer.from(bytes.subarray(i))
          break
        }
        i += 5
        const comma = bytes.subarray(i, i + scan).indexOf(44)
        let used = 0
        if (comma !== -1 && isIsoTime(bytes, i, comma)) {
          at += bytes.copy(rows, at, i, i + 10)
          rows[at++] = 84 // T
          at += bytes.copy(rows, at, i + 11, i + 19)
          rows[at++] = 46 // .
          for (let digit = 20; digit < 23; digit++) rows[at++] = digit < comma ? bytes[i + digit] : 48
          rows[at++] = 90 // Z
          used = comma
        }
        i += used
        this.left = length - used
        continue
      }
      i += 5
      this.left = length
      if (length === 0 && this.closing) return done("done")
    }
    return { rows: rows.subarray(0, at), end: null, rest: NO_BYTES }
  }
}

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
 * A pg-copy-streams COPY TO query whose output is the rows with CRLF
 * (CopyRows, the first cell a UTC time) rather than the bytes of the messages joined: the same
 * submission, backpressure and hand-over to node-postgres at the end or
 * at an error (its `_parse` and `_detach` replaced; pg-copy-streams is
 * pinned), without a pass over every byte.
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
 * Runs `COPY (query) TO STDOUT (FORMAT csv)` on a connection of its own
 * from the pool and writes the rows (CRLF) into `destination`, which it
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
 * Returns the rows PostgreSQL sent, or null when the copy was cut short.
 */
export async function copyCsvTo(
  knex: CopyKnex,
  name: string,
  query: (escapeLiteral: (text: string) => string) => string,
  destination: Writable,
  gone?: AbortSignal
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
    const sql = `/* ${name} */ copy (${query((text) => connection.escapeLiteral(text))}) to stdout (format csv)`
    await connection.query(`set datestyle to 'ISO'; set max_parallel_workers_per_gather = 0`)
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
      healthy = await connection.query(`reset max_parallel_workers_per_gather`).then(() => true, () => false)
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
