import en from "../i18n/en.json"
import { mismatchKindText, mismatchPlace, verificationKind, verificationSummary } from "../lib/verification-text"

/** i18next's t over en.json, with its {{placeholders}}, enough for these texts. */
const t = ((key: string, values: Record<string, unknown> = {}) => {
  const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], en)
  return typeof value === "string" ? value.replace(/\{\{(\w+)\}\}/g, (_, name) => String(values[name])) : key
}) as never

describe("Settings → Log health, the last verification in words", () => {
  it("names the kind of a verification: quick or full check", () => {
    expect(verificationKind(t, "quick")).toBe("quick check")
    expect(verificationKind(t, "full")).toBe("full check")
    // A verification recorded before it had a kind says nothing about one.
    expect(verificationKind(t, undefined)).toBeNull()
  })

  it("says what a verification found, and which kind it was", () => {
    const through = "2026-12-01T12:00:00.000Z"
    expect(verificationSummary(t, { verified: true, verified_through: through, mode: "full" }, "en")).toMatch(
      /^Integrity verified through .*2026.* · full check$/
    )
    expect(verificationSummary(t, { verified: true, verified_through: null, mode: "quick" }, "en")).toBe(
      "Integrity verified: nothing sealed yet · quick check"
    )
    expect(verificationSummary(t, { verified: false, verified_through: through, mode: "full" }, "en")).toBe(
      "Integrity check failed · full check"
    )
  })

  it("places the first mismatch by its checkpoint and line, as the log page does", () => {
    expect(mismatchPlace(t, { checkpoint: 12, line_id: "lacl_01" })).toBe("Checkpoint 12 · Line lacl_01")
    expect(mismatchPlace(t, { checkpoint: 0, line_id: null })).toBe("Checkpoint 0")
    expect(mismatchPlace(t, { checkpoint: null, line_id: "lacl_01" })).toBe("Line lacl_01")
  })

  it("says in words that a table of the log no longer has the columns verification reads", () => {
    expect(mismatchKindText(t, "layout_changed")).toBe(
      "A column of the log's tables was renamed, removed or given another type: the log can't be checked until its tables are as the plugin's migrations made them."
    )
  })
})
