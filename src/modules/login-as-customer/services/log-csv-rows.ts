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
const SEMICOLON = 59
const TAB = 9
const CR = 13
const LF = 10
const APOSTROPHE = 39
/**
 * The bytes a cell is quoted for (csvCell's): a quote, a line break, or a
 * separator of any dialect: `,`, `;` (spreadsheets in European locales), a
 * tab (tab-separated imports). A table: one look-up a byte.
 */
const QUOTED = new Uint8Array(256)
for (const byte of [QUOTE, COMMA, SEMICOLON, TAB, CR, LF]) QUOTED[byte] = 1

/**
 * Inside a cell, the separators of other dialects and line breaks (`;`,
 * tab, CR, LF), after which a spreadsheet that splits there (a European
 * locale's `;`, a tab-separated import, a reader that takes no quote inside
 * a field) starts a cell of its own; and the bytes that would start it as
 * a formula (csvCell's defusing, and a quote, which could open one quoted).
 * Such a start gets `'` after the separator, as a cell's start does.
 */
const INNER_SEPARATOR = new Uint8Array(256)
for (const byte of [SEMICOLON, TAB, CR, LF]) INNER_SEPARATOR[byte] = 1
const INNER_FORMULA = new Uint8Array(256)
for (const byte of [61, 43, 45, 64, TAB, CR, QUOTE]) INNER_FORMULA[byte] = 1

/** Whether a cell starting with this byte starts like a formula (`= + - @`, tab, CR): csvCell's defusing. */
function startsFormula(byte: number): boolean {
  return byte < 65 && (byte === 61 || byte === 43 || byte === 45 || byte === 64 || byte === 9 || byte === 13)
}

/**
 * Writes the `length` bytes at `from` as csvCell writes the text: a
 * formula start defused with `'`, then quoted (quotes doubled) when it holds
 * a quote, comma, semicolon, tab or line break, a formula start after one
 * of `;`, tab or a line break (or a comma after a line break) defused too. Copied while looking for
 * those; written again quoted when one turns up. Returns where the output ends.
 */
function writeCell(bytes: Buffer, from: number, length: number, out: Buffer, at: number): number {
  const start = at
  const defuse = startsFormula(bytes[from])
  if (defuse) out[at++] = APOSTROPHE
  const end = from + length
  let i = from
  for (; i < end; i++) {
    const byte = bytes[i]
    if (QUOTED[byte] === 1) break
    out[at++] = byte
  }
  if (i === end) return at
  at = start
  out[at++] = QUOTE
  if (defuse) out[at++] = APOSTROPHE
  // After a line break, a comma separates too (for a reader that ends lines there: csvCell's defuseInner).
  let broken = false
  for (i = from; i < end; i++) {
    const byte = bytes[i]
    if (byte === QUOTE) out[at++] = QUOTE
    out[at++] = byte
    if ((INNER_SEPARATOR[byte] === 1 || (byte === COMMA && broken)) && i + 1 < end && INNER_FORMULA[bytes[i + 1]] === 1) {
      out[at++] = APOSTROPHE
    }
    if (byte === CR || byte === LF) broken = true
  }
  out[at++] = QUOTE
  return at
}

/**
 * Whether the `length` bytes at `at` are a `timestamp` as DateStyle ISO
 * writes it: `YYYY-MM-DD HH:MI:SS`, then `.` and 1–6 digits unless the
 * fraction is zero (PostgreSQL drops its trailing zeros); not a date BC
 * (` BC` after it) nor a year past 9999. Of the texts PostgreSQL writes for
 * a timestamp, the ones isUtcIsoTimestamp (src/lib/csv.ts) takes.
 */
function isIsoTime(bytes: Buffer, at: number, length: number): boolean {
  return (
    (length === 19 || (length >= 21 && length <= 26 && bytes[at + 19] === 46)) &&
    bytes[at + 4] === 45 && bytes[at + 7] === 45 && bytes[at + 10] === 32 && bytes[at + 13] === 58 && bytes[at + 16] === 58 &&
    bytes[at + length - 1] >= 48 && bytes[at + length - 1] <= 57
  )
}

/**
 * A `timestamp` in DateStyle ISO (`2026-05-27 00:55:21.231635`, the time in
 * UTC) as toISOString writes it (`2026-05-27T00:55:21.231Z`, the
 * milliseconds truncated as to_char's `MS` does); any other text (a year
 * past 9999, a date BC, `infinity`, `-infinity`) as any cell (writeCell:
 * `-infinity` starts like a formula), as csvExportLine writes it.
 */
function writeTime(bytes: Buffer, from: number, length: number, out: Buffer, at: number): number {
  if (!isIsoTime(bytes, from, length)) return writeCell(bytes, from, length, out, at)
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
 * A row that chunks cut (a cell of megabytes comes in hundreds of them) is
 * kept in pieces, its lengths read as they come, and joined once it is all
 * there: each of its bytes is copied a few times, however many chunks it
 * spans. Joining what was kept to each chunk as it came copied a 20 MB
 * cell's bytes some 160 times over (43 s of a core in 64 kB chunks, against
 * 0.3 s).
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
  /** Whether the COPY's header has been read (it comes before the rows). */
  private started = false
  /** The lines of the chunk being taken; grown when a row could outgrow it. */
  private out: Buffer = NO_BYTES
  /** A row (or the COPY's header) that a chunk or a message cut: its bytes so far, copied, in the order they came. */
  private pieces: Buffer[] = []
  private held = 0
  /**
   * How far the cut row is read: the lengths it still has to give (-1 while
   * its count of cells, or the header's length, is still to come) and where
   * the next one starts (the row's end, once none is left).
   */
  private lengthsLeft = -1
  private known = 0
  /** The piece that byte `pieceAt` of the cut row starts (reading goes forward only). */
  private piece = 0
  private pieceAt = 0

  constructor(private readonly utcTimeFirst = false) {}

  take(chunk: Buffer): { rows: Buffer; end: "error" | "done" | null; rest: Buffer } {
    const bytes = this.head.length ? Buffer.concat([this.head, chunk]) : chunk
    this.head = NO_BYTES
    // A line is mostly shorter than its row (each cell's four bytes of length become a comma); room for a longer one is made as it comes (rows).
    this.out = Buffer.allocUnsafe(bytes.length + 64)
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
  private rows(bytes: Buffer, from: number, to: number, at: number): number {
    let p = from
    if (this.held > 0 || !this.started) {
      p = this.gather(bytes, from, to)
      if (p < 0) return at
      if (this.held > 0) {
        // A cut row, whole: its pieces joined once, and written as any row.
        const row = Buffer.concat(this.pieces, this.held)
        this.reset()
        at = this.rows(row, 0, row.length, at)
      }
    }
    while (to - p >= 2) {
      // The trailer (-1) ends the rows; nothing follows it.
      if (bytes.readInt16BE(p) < 0) return at
      const next = rowEnd(bytes, p, to)
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
    if (p < to) this.gather(bytes, p, to)
    return at
  }

  /**
   * Adds the bytes from `from` to `to` to the cut row (or the COPY's
   * header), reading its lengths as far as they have come. Answers -1
   * while it is not whole (its pieces copied: the chunk is the caller's);
   * once it is, where it ends among these bytes, with `pieces` and `held`
   * the row's (none for the header, nor for the trailer, after which the
   * bytes are passed over).
   */
  private gather(bytes: Buffer, from: number, to: number): number {
    this.pieces.push(bytes.subarray(from, to))
    this.held += to - from
    for (;;) {
      const need = this.known + (this.lengthsLeft < 0 ? (this.started ? 2 : BINARY_HEADER) : this.lengthsLeft > 0 ? 4 : 0)
      if (this.held < need) {
        this.pieces[this.pieces.length - 1] = Buffer.from(bytes.subarray(from, to))
        return -1
      }
      if (this.lengthsLeft === 0) break
      if (!this.started) {
        // The header's 19 bytes end with the length of an extension that follows them.
        this.known = BINARY_HEADER + (this.readHeld(BINARY_HEADER - 4, 4) >>> 0)
        this.lengthsLeft = 0
      } else if (this.lengthsLeft < 0) {
        this.lengthsLeft = (this.readHeld(0, 2) << 16) >> 16
        this.known = 2
        if (this.lengthsLeft < 0) {
          this.reset()
          return to
        }
      } else {
        const length = this.readHeld(this.known, 4)
        this.known += 4 + (length > 0 ? length : 0)
        this.lengthsLeft--
      }
    }
    const end = to - (this.held - this.known)
    if (!this.started) {
      this.started = true
      this.reset()
    } else {
      this.pieces[this.pieces.length - 1] = bytes.subarray(from, end)
      this.held = this.known
    }
    return end
  }

  /** The big-endian number in the `size` bytes (2 or 4) at `at` of the cut row, read forward only (4 bytes as a signed 32-bit number). */
  private readHeld(at: number, size: number): number {
    let value = 0
    for (let i = at; i < at + size; i++) {
      while (i >= this.pieceAt + this.pieces[this.piece].length) {
        this.pieceAt += this.pieces[this.piece].length
        this.piece++
      }
      value = (value << 8) | this.pieces[this.piece][i - this.pieceAt]
    }
    return value
  }

  private reset(): void {
    this.pieces = []
    this.held = 0
    this.lengthsLeft = -1
    this.known = 0
    this.piece = 0
    this.pieceAt = 0
  }
}
