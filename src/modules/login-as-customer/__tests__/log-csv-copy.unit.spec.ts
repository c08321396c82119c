import { escapeLiteral } from "pg"
import { CopyRows, inlineParams } from "../services/log-csv-copy"

/** A protocol message: its code, its length (itself included), its content. */
function message(code: string, content: string | Buffer = ""): Buffer {
  const body = Buffer.from(content)
  const head = Buffer.alloc(5)
  head[0] = code.charCodeAt(0)
  head.writeUInt32BE(body.length + 4, 1)
  return Buffer.concat([head, body])
}

describe("CopyRows", () => {
  // Rows as COPY's CSV writes them, one CopyData message each: line feeds inside quoted cells (some after a doubled quote) and at the rows' ends.
  const rows = ['a,"x\ny",b\n', '"he said ""hi""\n",,c\n', '"\r\n",""""\n', "ünïcödé 😀,row\n"]
  const expected = 'a,"x\ny",b\r\n"he said ""hi""\n",,c\r\n"\r\n",""""\r\nünïcödé 😀,row\r\n'
  const after = Buffer.concat([message("C", "COPY 4\0"), message("Z", "I")])
  const copy = Buffer.concat([
    message("H", Buffer.from([0, 0, 13, ...Array(26).fill(0)])),
    message("d", rows[0]),
    message("N", "SNOTICE\0\0"),
    message("d", rows[1]),
    message("S", "TimeZone\0UTC\0"),
    message("d", rows[2]),
    message("d", rows[3]),
    message("c"),
    after,
  ])

  /** The rows and the end of a copy cut into chunks at the given places. */
  function take(bytes: Buffer, cuts: number[]) {
    const reader = new CopyRows()
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

  it("ends each row with CRLF, leaves line breaks inside cells alone, skips the other messages and stops at CopyDone", () => {
    expect(take(copy, [])).toEqual({ rows: expected, end: "done", rest: after })
  })

  it("gives the same rows and the same rest however the bytes are cut into chunks", () => {
    for (let a = 0; a <= copy.length; a++) {
      for (let b = a; b <= copy.length; b += 5) {
        expect(take(copy, [a, b])).toEqual({ rows: expected, end: "done", rest: after })
      }
    }
  })

  it("stops at an error, handing it on whole, with the rows before it", () => {
    const error = Buffer.concat([message("E", "SERROR\0C57014\0Mcanceling statement due to user request\0\0"), message("Z", "I")])
    const failed = Buffer.concat([message("H", Buffer.alloc(29)), message("d", rows[0]), message("d", rows[1]), error])
    for (let a = 0; a <= failed.length; a++) {
      expect(take(failed, [a])).toEqual({ rows: 'a,"x\ny",b\r\n"he said ""hi""\n",,c\r\n', end: "error", rest: error })
    }
  })

  it("holds many rows in one chunk", () => {
    const many = Buffer.concat([...Array.from({ length: 5000 }, () => message("d", "x,1\n")), message("c"), after])
    expect(take(many, [])).toEqual({ rows: "x,1\r\n".repeat(5000), end: "done", rest: after })
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
  const after = Buffer.concat([message("C", "COPY 9\0"), message("Z", "I")])
  const rows = [...times.map(([time], i) => `${time},a${i},"x\ny"\n`), ",no time\n", "10000-01-01 00:00:00,a far year\n", "2026-05-27 00:55:21\n"]
  const expected =
    times.map(([, iso], i) => `${iso},a${i},"x\ny"\r\n`).join("") + ",no time\r\n10000-01-01 00:00:00,a far year\r\n2026-05-27 00:55:21\r\n"
  const copy = Buffer.concat([message("H", Buffer.alloc(29)), ...rows.map((row) => message("d", row)), message("c"), after])

  it("writes each row's time as toISOString does, however the bytes are cut into chunks", () => {
    for (let a = 0; a <= copy.length; a++) {
      for (let b = a; b <= copy.length; b += 7) {
        const reader = new CopyRows(true)
        const out: Buffer[] = []
        let end: string | null = null
        for (const part of [copy.subarray(0, a), copy.subarray(a, b), copy.subarray(b)]) {
          const taken = reader.take(part)
          out.push(taken.rows)
          if (taken.end) {
            end = taken.end
            break
          }
        }
        expect(end).toBe("done")
        expect(Buffer.concat(out).toString()).toBe(expected)
      }
    }
  })

  it("gives toISOString's text for the times PostgreSQL writes", () => {
    for (const [time, iso] of times) {
      // The cell as PostgreSQL writes the UTC time, and the same instant as JavaScript writes it (to the millisecond).
      expect(new Date(`${time.replace(" ", "T")}Z`).toISOString()).toBe(iso)
    }
  })
})

describe("inlineParams", () => {
  it("writes texts as escaped literals, times as UTC ISO text, numbers as they are", () => {
    const sql = inlineParams(`"a" = ? and "b" in (?, ?) and "t" >= ? and "n" < ?`, ["o'brien\\$$x", "$$;drop table x;$$", "plain", new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), 10], escapeLiteral)
    expect(sql).toBe(
      `"a" =  E'o''brien\\\\$$x' and "b" in ('$$;drop table x;$$', 'plain') and "t" >= '2026-01-02T03:04:05.006Z' and "n" < 10`
    )
  })

  it("refuses a count that doesn't match, a NUL, and values it can't write", () => {
    expect(() => inlineParams(`"a" = ?`, [], escapeLiteral)).toThrow("1 placeholders for 0 values")
    expect(() => inlineParams(`"a" = ?`, ["x", "y"], escapeLiteral)).toThrow("1 placeholders for 2 values")
    expect(() => inlineParams(`"a" = ?`, ["x\u0000') or true --"], escapeLiteral)).toThrow("NUL")
    for (const value of [null, undefined, {}, [1], NaN, new Date("x")]) {
      expect(() => inlineParams(`"a" = ?`, [value], escapeLiteral)).toThrow("as an SQL literal")
    }
  })
})
