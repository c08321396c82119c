import { csvCell, csvRow } from "../csv"

describe("csv", () => {
  it.each([
    [null, ""],
    [undefined, ""],
    ["plain", "plain"],
    [42, "42"],
    [true, "true"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\rhere", '"cr\rhere"'],
    ["=SUM(A1:A2)", "'=SUM(A1:A2)"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@cmd", "'@cmd"],
    ["\tx", "'\tx"],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    [new Date("2026-01-02T03:04:05.000Z"), "2026-01-02T03:04:05.000Z"],
    [{ a: 1, b: "x,y" }, '"{""a"":1,""b"":""x,y""}"'],
    ["née Ünïcødé ✓", "née Ünïcødé ✓"],
  ])("%j → %s", (value, expected) => {
    expect(csvCell(value)).toBe(expected)
  })

  it("joins cells with commas and ends lines with CRLF", () => {
    expect(csvRow(["a", "b,c", null])).toBe('a,"b,c",\r\n')
  })
})
