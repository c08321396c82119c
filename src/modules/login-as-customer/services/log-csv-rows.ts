/**
 * The log export's CSV lines from a `COPY … TO STDOUT (FORMAT binary)` of
 * text columns, written in the server: PostgreSQL sends each cell's bytes
 * with their length, so the server knows where every cell starts and ends
 * without parsing CSV, and PostgreSQL does no CSV writing and no defusing
 * (together about a third of the backend's time a row, the part of the
 * export that bounds it).
 */

/** Protocol message codes a COPY's output holds (PostgreSQL's frontend/backend protocol). */
const COPY_DATA = 0x64 // d
const ERROR_RESPONSE = 0x45 // E
/** Messages that may come between the rows and don't end the copy. */
const INTERSPERSED = new Set([0x48 /* CopyOutResponse */, 0x53 /* ParameterStatus */, 0x4e /* NoticeResponse */, 0x41 /* NotificationResponse */])
const NO_BYTES = Buffer.alloc(0)

/** A binary COPY's header: the 11-byte signature, a flags field, then the length of an extension that follows. */
const BINARY_HEADER = 19

const QUOTE = 34
const COMMA = 44
const CR = 13
const LF = 10
const APOSTROPHE = 39

/** Whether a cell starting with this byte starts like a formula (`= + - @`, tab, CR): csvCell's defusing. */
function startsFormula(byte: number): boolean {
  return byte < 65 && (byte === 61 || byte === 43 || byte === 45 || byte === 64 || byte === 9 || byte === 13)
}

/**
 * Writes the `length` bytes at `from` as csvCell writes the text: a
 * formula start defused with `'`, then quoted (quotes doubled) when it holds
 * a quote, comma or line break. Copied while looking for those; written
 * again quoted when one turns up. Returns where the output ends.
 */
function writeCell(bytes: Buffer, from: number, length: number, out: Buffer, at: number): number {
  const start = at
  const defuse = startsFormula(bytes[from])
  if (defuse) out[at++] = APOSTROPHE
  const end = from + length
  let i = from
  for (; i < end; i++) {
    const byte = bytes[i]
    if (byte === QUOTE || byte === COMMA || byte === LF || byte === CR) break
    out[at++] = byte
  }
  if (i === end) return at
  at = start
  out[at++] = QUOTE
  if (defuse) out[at++] = APOSTROPHE
  for (i = from; i < end; i++) {
    const byte = bytes[i]
    if (byte === QUOTE) out[at++] = QUOTE
    out[at++] = byte
  }
  out[at++] = QUOTE
  return at
}

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
 * A `timestamp` in DateStyle ISO (`2026-05-27 00:55:21.231635`, the time in
 * UTC) as toISOString writes it (`2026-05-27T00:55:21.231Z`, the
 * milliseconds truncated as to_char's `MS` does); any other text (a year
 * past 9999, `infinity`) as it is.
 */
function writeTime(bytes: Buffer, from: number, length: number, out: Buffer, at: number): number {
  if (!isIsoTime(bytes, from, length)) {
    for (let i = from; i < from + length; i++) out[at++] = bytes[i]
    return at
  }
  for (let i = 0; i < 19; i++) out[at++] = i === 10 ? 84 /* T */ : bytes[from + i]
  out[at++] = 46 // .
  for (let digit = 20; digit < 23; digit++) out[at++] = digit < length ? bytes[from + digit] : 48
  out[at++] = 90 // Z
  return at
}

/**
 * The end of the row (a tuple: its count of cells, then each cell's length
 * and bytes, -1 for a null) that starts at `from`, or -1 when it doesn't
 * end before `end`.
 */
function rowEnd(bytes: Buffer, from: number, end: number): number {
  const cells = bytes.readInt16BE(from)
  let at = from + 2
  for (let cell = 0; cell < cells; cell++) {
    if (end - at < 4) return -1
    const length = bytes.readInt32BE(at)
    at += 4 + (length > 0 ? length : 0)
    if (at > end) return -1
  }
  return at
}

/**
 * The rows of a `COPY … TO STDOUT (FORMAT binary)` of text columns from the
 * protocol's bytes as they come off the socket, each as the CSV line
 * csvRow writes of its cells (CRLF, RFC 4180), the cells defused as
 * csvCell does. A chunk may end anywhere (in a message's header, in a
 * row); PostgreSQL sends each row as one CopyData message (the COPY's
 * header comes with the first), but a row is taken whole however the
 * messages cut it. `take` answers the lines of a chunk, and how the copy
 * ended in it: at an ErrorResponse or at CopyDone (or any other message),
 * with the bytes from there on (`rest`) for node-postgres to read.
 *
 * With `utcTimeFirst`, each row's first cell is a `timestamp` in DateStyle
 * ISO, the time in UTC, and is written as toISOString writes it
 * (writeTime): PostgreSQL's own text of the time costs its backend a fifth
 * of to_char's.
 */
export class CopyRows {
  /** A message header cut by the chunk's end (under 5 bytes). */
  private head: Buffer = NO_BYTES
  /** Bytes of the current message still to come. */
  private left = 0
  private data = false
  private closing = false
  /** The start of a row (or of the COPY's header) that a message or chunk cut. */
  private carry: Buffer = NO_BYTES
  private started = false
  /** The lines of the chunk being taken; grown when a row could outgrow it. */
  private out: Buffer = NO_BYTES

  constructor(private readonly utcTimeFirst = false) {}

  take(chunk: Buffer): { rows: Buffer; end: "error" | "done" | null; rest: Buffer } {
    const bytes = this.head.length ? Buffer.concat([this.head, chunk]) : chunk
    this.head = NO_BYTES
    // A line is mostly shorter than its row (each cell's four bytes of length become a comma); room for a longer one is made as it comes (rows).
    this.out = Buffer.allocUnsafe(bytes.length + this.carry.length + 64)
    let at = 0
    let i = 0
    const done = (end: "error" | "done") => ({ rows: this.out.subarray(0, at), end, rest: bytes.subarray(i) })
    while (i < bytes.length) {
      if (this.left > 0) {
        const n = Math.min(this.left, bytes.length - i)
        if (this.data) at = this.rows(bytes, i, i + n, at)
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
      i += 5
      this.left = length
      if (length === 0 && this.closing) return done("done")
    }
    return { rows: this.out.subarray(0, at), end: null, rest: NO_BYTES }
  }

  /** Writes the whole rows among the COPY's bytes from `from` to `to` (after what a cut left), keeping a cut row's start. */
  private rows(chunk: Buffer, from: number, to: number, at: number): number {
    let bytes = chunk
    let p = from
    let end = to
    if (this.carry.length) {
      bytes = Buffer.concat([this.carry, chunk.subarray(from, to)])
      p = 0
      end = bytes.length
      this.carry = NO_BYTES
    }
    if (!this.started) {
      if (end - p < BINARY_HEADER || end - p < BINARY_HEADER + bytes.readUInt32BE(p + 15)) {
        this.carry = Buffer.from(bytes.subarray(p, end))
        return at
      }
      p += BINARY_HEADER + bytes.readUInt32BE(p + 15)
      this.started = true
    }
    while (end - p >= 2) {
      // The trailer (-1) ends the rows; nothing follows it.
      if (bytes.readInt16BE(p) < 0) return at
      const next = rowEnd(bytes, p, end)
      if (next === -1) break
      // A cell grows at most to twice its bytes and three more, which its length's four bytes cover; the count of cells becomes the CRLF.
      if (at + 2 * (next - p) > this.out.length) {
        const grown = Buffer.allocUnsafe(Math.max(2 * this.out.length, at + 2 * (next - p)))
        this.out.copy(grown, 0, 0, at)
        this.out = grown
      }
      const out = this.out
      const cells = bytes.readInt16BE(p)
      let cell = p + 2
      for (let n = 0; n < cells; n++) {
        const length = bytes.readInt32BE(cell)
        cell += 4
        if (n > 0) out[at++] = COMMA
        if (length > 0) {
          at = n === 0 && this.utcTimeFirst ? writeTime(bytes, cell, length, out, at) : writeCell(bytes, cell, length, out, at)
          cell += length
        }
      }
      out[at++] = CR
      out[at++] = LF
      p = next
    }
    if (p < end) this.carry = Buffer.from(bytes.subarray(p, end))
    return at
  }
}
