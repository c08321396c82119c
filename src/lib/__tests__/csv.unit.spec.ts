import { csvCell, csvExportLine, csvRow, isoFromUtcTimestamp, LOG_EXPORT_COLUMNS } from "../csv"

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
    // A tab is a separator to a tab-separated import: the cell is quoted whole, defused too when it starts one.
    ["\tx", `"'\tx"`],
    ["a\tb", '"a\tb"'],
    // A semicolon is a separator to a spreadsheet in a European locale, which takes no quote inside a field:
    // a formula start after one (or after a tab, or a line break) is defused as a cell's start is.
    ['a;=HYPERLINK("http://x";"y")', `"a;'=HYPERLINK(""http://x"";'""y"")"`],
    [";", '";"'],
    ["-a;b", `"'-a;b"`],
    ["a;b;-1", `"a;b;'-1"`],
    ["a\t\t=1", `"a\t'\t'=1"`],
    ["x\n=1+1", `"x\n'=1+1"`],
    ["x\r\n@SUM(1)", `"x\r\n'@SUM(1)"`],
    ['a;"=1"', `"a;'""=1"""`],
    ["a; =1", '"a; =1"'],
    // After a line break, a comma starts a cell too, for a reader that ends lines there; before one it doesn't.
    ['Refund\nok,=HYPERLINK("x","y")', `"Refund\nok,'=HYPERLINK(""x"",'""y"")"`],
    ["a,=1\nb", `"a,=1\nb"`],
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

describe("csvExportLine", () => {
  it.each([
    ["2026-05-27 00:55:21.231635", "2026-05-27T00:55:21.231Z"],
    ["2026-05-27 00:55:21.2", "2026-05-27T00:55:21.200Z"],
    ["2026-05-27 00:55:21", "2026-05-27T00:55:21.000Z"],
    ["1999-12-31 23:59:59.999999", "1999-12-31T23:59:59.999Z"],
  ])("reads PostgreSQL's UTC timestamp %s as %s", (text, iso) => {
    expect(isoFromUtcTimestamp(text)).toBe(iso)
    // What the list (a Date through JSON) would show.
    const micro = text.includes(".") ? text.slice(20).padEnd(6, "0").slice(0, 3) : "000"
    expect(new Date(`${text.slice(0, 19).replace(" ", "T")}.${micro}Z`).toISOString()).toBe(iso)
  })

  it.each([
    ["-infinity", "'-infinity"],
    ["infinity", "infinity"],
    ["10000-01-01 00:00:00", "10000-01-01 00:00:00"],
    ["0044-03-15 12:00:00 BC", "0044-03-15 12:00:00 BC"],
    ["0044-03-15 12:00:00.5 BC", "0044-03-15 12:00:00.5 BC"],
  ])("writes a time that is no ISO UTC timestamp (%s) as a text cell, defused: %s", (text, cell) => {
    const row = Object.fromEntries(LOG_EXPORT_COLUMNS.map((column) => [column, null])) as Record<(typeof LOG_EXPORT_COLUMNS)[number], string | null>
    expect(csvExportLine({ ...row, created_at: text })).toBe(`${cell}${",".repeat(LOG_EXPORT_COLUMNS.length - 1)}\r\n`)
    expect(csvExportLine({ ...row, created_at: text })).toBe(csvRow([text, ...LOG_EXPORT_COLUMNS.slice(1).map(() => null)]))
  })

  it("is csvRow of the same row, cell for cell", () => {
    const row = {
      created_at: "2026-01-02 03:04:05.678901",
      action: "store_action",
      user_id: "user_1",
      user_email: "=evil,\"x\"@example.com",
      customer_id: null,
      customer_email: "-cus@example.com",
      reason: "=ticket 1, urgent",
      mode: "read_only",
      session_id: "lacs_1",
      actor_type: "user",
      actor_id: "@me",
      details: '{"a": 1, "b": "x,y"}',
      id: "lacl_1",
    }
    expect(csvExportLine(row)).toBe(
      csvRow([new Date("2026-01-02T03:04:05.678Z"), ...LOG_EXPORT_COLUMNS.slice(1).map((c) => row[c])])
    )
  })
})
