import { csvExportLine, csvRow, LOG_EXPORT_COLUMNS } from "../../../lib/csv"
import { CopyRows } from "../services/log-csv-rows"

/** A protocol message: its code, its length (itself included), its content. */
function message(code: string, content: string | Buffer = ""): Buffer {
  const body = Buffer.from(content)
  const head = Buffer.alloc(5)
  head[0] = code.charCodeAt(0)
  head.writeUInt32BE(body.length + 4, 1)
  return Buffer.concat([head, body])
}

/** A binary COPY's header: signature, flags, no extension. */
const HEADER = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)])
/** The row that ends a binary COPY. */
const TRAILER = Buffer.from([0xff, 0xff])

/** A row as a binary COPY sends it: its count of cells, each cell's length (-1 for null) and bytes. */
function tuple(cells: Array<string | null>): Buffer {
  const count = Buffer.alloc(2)
  count.writeInt16BE(cells.length)
  return Buffer.concat([
    count,
    ...cells.map((cell) => {
      const bytes = cell === null ? Buffer.alloc(0) : Buffer.from(cell)
      const length = Buffer.alloc(4)
      length.writeInt32BE(cell === null ? -1 : bytes.length)
      return Buffer.concat([length, bytes])
    }),
  ])
}

const AFTER = Buffer.concat([message("C", "COPY 4\0"), message("Z", "I")])

/** The COPY as PostgreSQL sends it: the header with the first row, a message a row, the trailer, CopyDone; other messages between. */
function copyOf(rows: Array<Array<string | null>>): Buffer {
  return Buffer.concat([
    message("H", Buffer.from([1, 0, 13, ...Array(26).fill(0)])),
    ...rows.map((row, i) => {
      const data = message("d", i === 0 ? Buffer.concat([HEADER, tuple(row)]) : tuple(row))
      return i === 1 ? Buffer.concat([message("N", "SNOTICE\0\0"), data, message("S", "TimeZone\0UTC\0")]) : data
    }),
    message("d", TRAILER),
    message("c"),
    AFTER,
  ])
}

/** The lines and the end of a copy cut into chunks at the given places. */
function take(bytes: Buffer, cuts: number[], utcTimeFirst = false) {
  const reader = new CopyRows(utcTimeFirst)
  const out: Buffer[] = []
  let from = 0
  for (const to of [...cuts, bytes.length]) {
    const taken = reader.take(bytes.subarray(from, to))
    out.push(taken.rows)
    if (taken.end) return { rows: Buffer.concat(out).toString(), end: taken.end, rest: Buffer.concat([taken.rest, bytes.subarray(to)]) }
    from = to
  }
  return { rows: Buffer.concat(out).toString(), end: null, rest: Buffer.alloc(0) }
}

describe("CopyRows", () => {
  // Cells csvCell quotes, defuses, or both, and plain ones.
  const rows: Array<Array<string | null>> = [
    ["=1+1", "+x", "-", "@a", "\tx", "\rx", "plain"],
    ["a,b", 'he said "hi"', "x\ny", "x\r\ny", "", null, "ünïcödé 😀"],
    ['"', ",", "'quoted", "-1", '{"a": 1, "b": "=x"}', "=\"a,b\"", "-\n"],
    [null, null, "", "end", "A=1", "a=", "@"],
    // Separators of other dialects: a semicolon (spreadsheets in European locales), a tab (tab-separated imports).
    ["a;=HYPERLINK(1)", "x\ty", ";", "\t", "-;", "a;b", "=a;b\tc"],
    // A formula start after a separator of another dialect or a line break, inside a cell.
    ["a;b;-1", "a\t\t=1", "x\n=1+1", "x\r\n@S", 'a;"=1"', "a; =1", ";;"],
    // A comma after a line break in the cell (and none before one).
    ['Refund\nok,=HYPERLINK("x")', "a,=1\nb", "a\r\nb,,-1", "x,\n,@"],
  ]
  const expected = rows.map((row) => csvRow(row)).join("")
  const copy = copyOf(rows)

  it("writes each row as csvRow writes its cells, skips the other messages and stops at CopyDone", () => {
    expect(expected).toContain(`'=1+1,'+x,'-,'@a,"'\tx","'\rx",plain\r\n`)
    expect(expected).toContain(`"a;'=HYPERLINK(1)","x\ty",";","'\t","'-;","a;b","'=a;b\tc"\r\n`)
    expect(expected).toContain(`"a;b;'-1","a\t'\t'=1","x\n'=1+1","x\r\n'@S","a;'""=1""","a; =1",";;"\r\n`)
    expect(take(copy, [])).toEqual({ rows: expected, end: "done", rest: AFTER })
  })

  it("gives the same lines and the same rest however the bytes are cut into chunks", () => {
    for (let a = 0; a <= copy.length; a++) {
      for (let b = a; b <= copy.length; b += 5) {
        expect(take(copy, [a, b])).toEqual({ rows: expected, end: "done", rest: AFTER })
      }
    }
  })

  it("takes a row whole however the messages cut it: the header alone, two rows in one message, a row over two", () => {
    const all = Buffer.concat([HEADER, ...rows.map(tuple), TRAILER])
    const cuts = [HEADER.length, HEADER.length + tuple(rows[0]).length + tuple(rows[1]).length + 7, all.length - 9]
    const messages = [0, ...cuts].map((at, i) => message("d", all.subarray(at, [...cuts, all.length][i])))
    const bytes = Buffer.concat([...messages, message("c"), AFTER])
    for (let a = 0; a <= bytes.length; a += 3) {
      expect(take(bytes, [a])).toEqual({ rows: expected, end: "done", rest: AFTER })
    }
  })

  it("stops at an error, handing it on whole, with the rows before it", () => {
    const error = Buffer.concat([message("E", "SERROR\0C57014\0Mcanceling statement due to user request\0\0"), message("Z", "I")])
    const failed = Buffer.concat([message("d", Buffer.concat([HEADER, tuple(rows[0])])), message("d", tuple(rows[1])), error])
    for (let a = 0; a <= failed.length; a++) {
      expect(take(failed, [a])).toEqual({ rows: csvRow(rows[0]) + csvRow(rows[1]), end: "error", rest: error })
    }
  })

  it("holds many rows in one chunk", () => {
    const many = copyOf(Array.from({ length: 5000 }, () => ["x", "1"]))
    expect(take(many, [])).toEqual({ rows: "x,1\r\n".repeat(5000), end: "done", rest: AFTER })
  })

  it("quotes a cell longer than a chunk, doubling its quotes", () => {
    const long = `${'a"b,'.repeat(40_000)}`
    const bytes = copyOf([[long, "=x"]])
    expect(take(bytes, [70_000, 140_000])).toEqual({ rows: csvRow([long, "=x"]), end: "done", rest: AFTER })
  })
})

describe("CopyRows with a UTC time first", () => {
  const times: Array<[string, string]> = [
    ["2026-05-27 00:55:21.231635", "2026-05-27T00:55:21.231Z"],
    ["2026-05-27 00:55:21", "2026-05-27T00:55:21.000Z"],
    ["2026-05-27 00:55:21.5", "2026-05-27T00:55:21.500Z"],
    ["2026-05-27 00:55:21.07", "2026-05-27T00:55:21.070Z"],
    ["2026-05-27 00:55:21.999", "2026-05-27T00:55:21.999Z"],
    ["1999-12-31 23:59:59.9999", "1999-12-31T23:59:59.999Z"],
    ["2026-05-27 00:55:21.00001", "2026-05-27T00:55:21.000Z"],
  ]
  const rows: Array<Array<string | null>> = [
    ...times.map(([time], i) => [time, `a${i}`, "x\ny"]),
    [null, "no time"],
    ["10000-01-01 00:00:00", "a far year"],
    ["infinity", "=x"],
    ["-infinity", "-x"],
    ["0044-03-15 12:00:00.5 BC", "a date BC"],
    ["2026-05-27 00:55:21"],
  ]
  const expected =
    times.map(([, iso], i) => `${iso},a${i},"x\ny"\r\n`).join("") +
    ",no time\r\n10000-01-01 00:00:00,a far year\r\ninfinity,'=x\r\n'-infinity,'-x\r\n0044-03-15 12:00:00.5 BC,a date BC\r\n" +
    "2026-05-27T00:55:21.000Z\r\n"
  const copy = copyOf(rows)

  it("writes each row's time as toISOString does, and any other text as it is, however the bytes are cut into chunks", () => {
    for (let a = 0; a <= copy.length; a++) {
      for (let b = a; b <= copy.length; b += 7) {
        expect(take(copy, [a, b], true)).toEqual({ rows: expected, end: "done", rest: AFTER })
      }
    }
  })

  it("writes each time cell as csvExportLine does, an out-of-range one defused as any text", () => {
    const empty = Object.fromEntries(LOG_EXPORT_COLUMNS.map((column) => [column, null])) as Parameters<typeof csvExportLine>[0]
    for (const time of [...times.map(([text]) => text), "10000-01-01 00:00:00", "infinity", "-infinity", "0044-03-15 12:00:00 BC", "0044-03-15 12:00:00.5 BC"]) {
      const line = csvExportLine({ ...empty, created_at: time })
      expect(take(copyOf([[time, ...LOG_EXPORT_COLUMNS.slice(1).map(() => null)]]), [], true).rows).toBe(line)
    }
  })

  it("gives toISOString's text for the times PostgreSQL writes", () => {
    for (const [time, iso] of times) {
      // The cell as PostgreSQL writes the UTC time, and the same instant as JavaScript writes it (to the millisecond).
      expect(new Date(`${time.replace(" ", "T")}Z`).toISOString()).toBe(iso)
    }
  })
})

/**
 * The bytes Buffer's own functions allocate, join and copy while `run`
 * runs (an allocation inside another's counted twice): taking a copy's
 * chunks should move a few times its bytes, however its rows are cut.
 */
function bytesMoved(run: () => void): number {
  let moved = 0
  const { alloc, allocUnsafe, allocUnsafeSlow, concat, from } = Buffer
  const { copy } = Buffer.prototype
  const counted = <F extends (...args: any[]) => any>(f: F, size: (result: ReturnType<F>) => number): F =>
    function (this: unknown, ...args: Parameters<F>) {
      const result = f.apply(this, args)
      moved += size(result)
      return result
    } as F
  Buffer.alloc = counted(alloc, (b) => b.length)
  Buffer.allocUnsafe = counted(allocUnsafe, (b) => b.length)
  Buffer.allocUnsafeSlow = counted(allocUnsafeSlow, (b) => b.length)
  Buffer.concat = counted(concat, (b) => b.length)
  Buffer.from = counted(from, (b) => b.length)
  Buffer.prototype.copy = counted(copy, (n) => n)
  try {
    run()
  } finally {
    Object.assign(Buffer, { alloc, allocUnsafe, allocUnsafeSlow, concat, from })
    Buffer.prototype.copy = copy
  }
  return moved
}

describe("CopyRows with rows longer than many chunks", () => {
  /** A first cell of about `size` bytes with everything csvCell treats apart: a formula start, quotes, separators, line breaks, characters of several bytes. */
  const unit = 'a"b,c;d\te\r\nf ünï 😀 '
  const bigCell = (size: number) => `=${unit.repeat(Math.ceil(size / Buffer.byteLength(unit)))}`
  const copyWith = (size: number) => copyOf([["before", "-1"], [bigCell(size), "=x", null, "tail;"], ["after", "@y"]])
  /** The copy cut into chunks of `size` bytes, taken, and what the reader moved doing it. */
  const takeInChunks = (bytes: Buffer, size: number, utcTimeFirst = false) => {
    const reader = new CopyRows(utcTimeFirst)
    const out: Buffer[] = []
    let end: string | null = null
    const moved = bytesMoved(() => {
      for (let from = 0; from < bytes.length && !end; from += size) {
        const taken = reader.take(bytes.subarray(from, from + size))
        out.push(taken.rows)
        end = taken.end
      }
    })
    return { rows: Buffer.concat(out).toString(), end, moved }
  }

  it("writes an 8 MB cell taken in 64 kB chunks as csvCell does", () => {
    const big = bigCell(8 << 20)
    const got = takeInChunks(copyWith(8 << 20), 64 << 10)
    const expected = csvRow(["before", "-1"]) + csvRow([big, "=x", null, "tail;"]) + csvRow(["after", "@y"])
    expect(got.end).toBe("done")
    expect(got.rows.length).toBe(expected.length)
    expect(got.rows === expected).toBe(true)
  })

  it("moves a few times a long row's bytes, not as many times as it has chunks", () => {
    const small = copyWith(2 << 20)
    const large = copyWith(8 << 20)
    const movedSmall = takeInChunks(small, 64 << 10).moved
    const movedLarge = takeInChunks(large, 64 << 10).moved
    // Its pieces kept, joined once, the line written: each byte a few times over (6 here; joining what was kept to each of the 128 chunks moved over 200).
    expect(movedLarge).toBeLessThan(10 * large.length)
    // Four times the bytes, four times the work.
    expect(movedLarge / movedSmall).toBeLessThan(4.5)
  })

  it("takes rows cut into chunks of a byte or a few, every length read across chunks", () => {
    const rows: Array<Array<string | null>> = [
      ["2026-05-27 00:55:21.5", "a,b", null, "", "=x"],
      ["-infinity", 'q"q', "ünï", null],
      ["2026-05-27 00:55:21", "x".repeat(300), ";"],
    ]
    const bytes = copyOf(rows)
    const expected = take(bytes, [], true).rows
    expect(expected).toContain(`2026-05-27T00:55:21.500Z,"a,b",,,'=x\r\n'-infinity,"q""q",ünï,\r\n`)
    for (const size of [1, 2, 3, 5, 7, 64]) {
      expect(takeInChunks(bytes, size, true)).toMatchObject({ rows: expected, end: "done" })
    }
  })
})
