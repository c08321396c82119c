import type { Writable } from "stream"
import { to as copyTo } from "pg-copy-streams"

/** What the export needs of knex: its pool's raw connections, and a query on another one. */
export type CopyKnex = {
  client: { acquireConnection(): Promise<unknown>; releaseConnection(connection: unknown): Promise<unknown> }
  raw(sql: string, bindings?: unknown[]): Promise<unknown>
}

/** The node-postgres client of a pooled connection, as far as the export uses it. */
type PgClient = {
  processID: number
  escapeLiteral(text: string): string
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
  const ms = Number(process.env.LOGIN_AS_CUSTOMER_EXPORT_STALL_MS)
  return Number.isFinite(ms) && ms > 0 ? ms : 60_000
}

let running = 0
const waiting: Array<() => void> = []

async function takeSlot(): Promise<() => void> {
  if (running >= EXPORT_SLOTS) {
    await new Promise<void>((resolve) => waiting.push(resolve))
  } else {
    running++
  }
  let given = false
  return () => {
    if (given) return
    given = true
    const next = waiting.shift()
    if (next) next()
    else running--
  }
}

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

/**
 * COPY's CSV ends each row with a line feed; the export's lines end with
 * CRLF (RFC 4180, as csvRow writes them). A line feed ends a row unless it
 * is inside a quoted cell, and inside one every quote is doubled, so the
 * parity of the quotes seen so far tells which: the state carries over
 * from one chunk to the next.
 */
export class LineEndings {
  private quoted = false
  private ends = new Uint32Array(1024)

  convert(chunk: Buffer): Buffer {
    // A plain Uint8Array and an integer state: V8 runs this loop about twice as fast as over a Buffer.
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)
    let count = 0
    let quoted = this.quoted ? 1 : 0
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]
      if (byte === 34) {
        quoted ^= 1
      } else if (byte === 10 && quoted === 0) {
        if (count === this.ends.length) {
          const grown = new Uint32Array(count * 2)
          grown.set(this.ends)
          this.ends = grown
        }
        this.ends[count++] = i
      }
    }
    this.quoted = quoted === 1
    if (!count) {
      return chunk
    }
    const out = Buffer.allocUnsafe(chunk.length + count)
    let from = 0
    let at = 0
    for (let n = 0; n < count; n++) {
      const end = this.ends[n]
      at += chunk.copy(out, at, from, end)
      out[at++] = 13
      out[at++] = 10
      from = end + 1
    }
    chunk.copy(out, at, from)
    return out
  }
}

/**
 * Runs `COPY (query) TO STDOUT (FORMAT csv)` on a connection of its own
 * from the pool and writes the rows (CRLF) into `destination`, which it
 * doesn't end, at the pace `destination` drains: PostgreSQL waits on a full
 * socket, so the server holds a chunk at a time. When `destination` closes
 * first (the browser dropped the download), the COPY is cancelled and the
 * rest of its output read and dropped; if it doesn't stop in time, the
 * connection is closed; a download that reads nothing for exportStallMs()
 * is closed the same way. The connection goes back to the pool in every
 * case. At most EXPORT_SLOTS run at once in a process; more wait their turn.
 * Returns the rows PostgreSQL sent, or null when the copy was cut short.
 */
export async function copyCsvTo(
  knex: CopyKnex,
  name: string,
  query: (escapeLiteral: (text: string) => string) => string,
  destination: Writable
): Promise<number | null> {
  const giveSlot = await takeSlot()
  if (destination.destroyed || destination.writableEnded) {
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
    const copy = connection.query(copyTo(sql))
    const lines = new LineEndings()
    return await new Promise<number | null>((resolve, reject) => {
      let settled = false
      const finish = (error: unknown, rows: number | null) => {
        if (settled) return
        settled = true
        copy.off("data", onData)
        destination.off("drain", onDrain)
        destination.off("close", onClose)
        if (error) reject(error)
        else resolve(rows)
      }
      const onData = (chunk: Buffer) => {
        if (!destination.write(lines.convert(chunk))) {
          copy.pause()
          stall ??= setTimeout(() => destination.destroy(), exportStallMs())
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
      if (destination.destroyed || destination.writableEnded) {
        onClose()
      }
    })
  } finally {
    clearTimeout(stall)
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
