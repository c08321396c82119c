import { escapeLiteral } from "pg"
import { inlineParams } from "../services/log-csv-copy"

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
