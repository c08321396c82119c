import fc from "fast-check"
import { cutNote, LONG_NUMBERS_NOTE } from "../utils/log-cells"
import { jsonTextBytes, LOG_PAGE_CUT_CHARS, withinPageBudget } from "../utils/log-page-budget"
import type { LogEntryRow } from "../utils/log-sql"

const line = (id: string, cells: Partial<LogEntryRow> = {}): LogEntryRow => ({
  id,
  action: "store_action",
  actor_type: "user",
  actor_id: "user_1",
  user_id: "user_1",
  user_email: "agent@shop.example",
  customer_id: "cus_1",
  customer_email: "jane@example.com",
  session_id: "lacs_1",
  details: { reason: "ticket 7", mode: "full" },
  created_at: "2026-12-04T10:00:00.000Z",
  ...cells,
})

const pageBytes = (rows: LogEntryRow[]) => Buffer.byteLength(JSON.stringify(rows))

describe("jsonTextBytes", () => {
  it("counts a text's bytes as JSON.stringify writes it in UTF-8", () => {
    fc.assert(
      fc.property(fc.fullUnicodeString(), fc.string({ unit: "binary" }), (unicode, units) => {
        for (const text of [unicode, units, `\u0001\b\t\n\f\r"\\${unicode}`]) {
          expect(jsonTextBytes(text)).toBe(Buffer.byteLength(JSON.stringify(text)))
        }
      }),
      { numRuns: 500 }
    )
    // A lone surrogate is escaped, a pair is one four-byte character.
    expect(jsonTextBytes("\ud800")).toBe(Buffer.byteLength(JSON.stringify("\ud800")))
    expect(jsonTextBytes("😀")).toBe(6)
  })
})

describe("withinPageBudget", () => {
  it("leaves a page within the budget as it is", () => {
    // 200 lines, each with a cell as long as SQL leaves whole (32 767 bytes).
    const rows = Array.from({ length: 200 }, (_, i) => line(`lacl_${i}`, { user_email: "k".repeat(32_767) }))
    const page = withinPageBudget(rows)
    expect(page).toHaveLength(200)
    expect(page.every((row, i) => row === rows[i])).toBe(true)
  })

  it("cuts every long cell of the lines past the budget, keeping each whole cell's size", () => {
    const control = "\u0001".repeat(32_000)
    const rows = Array.from({ length: 100 }, (_, i) =>
      line(`lacl_${i}`, {
        user_email: control,
        customer_email: control,
        session_id: control,
        actor_id: control,
        // As SQL cuts a long cell and a long details.
        customer_id: "c".repeat(8_192) + cutNote(40_000),
        details: { cut: { bytes: 70_000, start: `{"blob": "${control.slice(0, 8_000)}` }, reason: control, mode: "full" },
      })
    )
    expect(pageBytes(rows)).toBeGreaterThan(90 * 1024 * 1024)
    const budget = 8 * 1024 * 1024
    const page = withinPageBudget(rows, budget)
    expect(pageBytes(page)).toBeLessThan(budget + 100 * 20_000)
    const whole = page.filter((row, i) => row === rows[i]).length
    expect(whole).toBeGreaterThan(0)
    // The whole lines come first, in order; each after them is cut.
    page.slice(0, whole).forEach((row, i) => expect(row).toBe(rows[i]))
    const cut = page[whole]
    expect(cut.id).toBe(`lacl_${whole}`)
    expect(cut.user_email).toBe(control.slice(0, LOG_PAGE_CUT_CHARS) + cutNote(32_000))
    expect(cut.customer_id).toBe("c".repeat(LOG_PAGE_CUT_CHARS) + cutNote(40_000))
    expect(cut.action).toBe("store_action")
    expect(cut.details).toEqual({
      cut: { bytes: 70_000, start: `{"blob": "${control.slice(0, LOG_PAGE_CUT_CHARS - 10)}` },
      reason: control.slice(0, LOG_PAGE_CUT_CHARS) + cutNote(32_000),
      mode: "full",
    })
    expect(page.slice(whole).every((row) => row.session_id!.length < LOG_PAGE_CUT_CHARS + 40)).toBe(true)
    // The rows given are not changed.
    expect(rows[whole].user_email).toBe(control)
  })

  it("cuts a details past the budget by its JSON text, and a character at its whole code point", () => {
    const astral = "😀".repeat(1_000)
    const rows = [line("lacl_a", { details: { blob: "x".repeat(2_000), reason: { nested: true } } }), line("lacl_b", { user_email: astral })]
    const page = withinPageBudget(rows, 0)
    const text = JSON.stringify(rows[0].details)
    expect(page[0].details).toEqual({
      cut: { bytes: Buffer.byteLength(text), start: text.slice(0, LOG_PAGE_CUT_CHARS) },
      reason: '{"nested":true}',
    })
    expect(page[1].user_email).toBe("😀".repeat(LOG_PAGE_CUT_CHARS) + cutNote(4_000))
    expect(page[1].customer_email).toBe("jane@example.com")
  })

  it("keeps SQL's cut of a details holding long numbers as it is past the budget, cutting only its texts", () => {
    const numbersCut = { cut: { stored: 1_234, numbers: LONG_NUMBERS_NOTE } }
    const rows = [
      line("lacl_a", { details: { ...numbersCut, reason: "r".repeat(8_192) + cutNote(40_000), mode: "full" } }),
      line("lacl_b", { details: numbersCut }),
    ]
    const page = withinPageBudget(rows, 0)
    expect(page[0].details).toEqual({ ...numbersCut, reason: "r".repeat(LOG_PAGE_CUT_CHARS) + cutNote(40_000), mode: "full" })
    // Not taken for a text to cut: no `start` of its JSON.
    expect(page[1].details).toEqual(numbersCut)
    expect(pageBytes(page)).toBeLessThan(2_000)
  })
})
