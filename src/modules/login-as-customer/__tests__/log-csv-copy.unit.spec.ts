import { escapeLiteral } from "pg"
import { inlineParams, LineEndings } from "../services/log-csv-copy"

describe("LineEndings", () => {
  // Rows as COPY's CSV writes them: line feeds inside quoted cells (some after a doubled quote) and at the rows' ends.
  const copied = 'a,"x\ny",b\n"he said ""hi""\n",,c\n"\r\n",""""\nplain,row\n'
  const expected = 'a,"x\ny",b\r\n"he said ""hi""\n",,c\r\n"\r\n",""""\r\nplain,row\r\n'

  it("ends each row with CRLF and leaves line breaks inside quoted cells alone", () => {
    expect(new LineEndings().convert(Buffer.from(copied)).toString()).toBe(expected)
  })

  it("gives the same text however the rows are cut into chunks", () => {
    const bytes = Buffer.from(copied)
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b += 3) {
        const lines = new LineEndings()
        const out = [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)].map((chunk) => lines.convert(chunk))
        expect(Buffer.concat(out).toString()).toBe(expected)
      }
    }
  })

  it("holds more row ends in one chunk than its first buffer", () => {
    const rows = "x,1\n".repeat(5000)
    expect(new LineEndings().convert(Buffer.from(rows)).toString()).toBe("x,1\r\n".repeat(5000))
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
