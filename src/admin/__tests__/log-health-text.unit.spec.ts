import en from "../i18n/en.json"
import { formatSize, healthDate, lifetimeValue, passedOverText } from "../lib/log-health-text"

/** i18next's t over en.json, enough for these texts. */
const t = ((key: string, values: Record<string, string> = {}) => {
  const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], en)
  return typeof value === "string" ? value.replace(/\{\{(\w+)\}\}/g, (_, name) => values[name] ?? "") : key
}) as never

describe("Settings → Log health, in words", () => {
  it("says an empty log has no line and no seal yet, not \"Never\"", () => {
    expect(healthDate(t, null, "oldest", "en")).toBe("No lines yet")
    expect(healthDate(t, undefined, "seal", "en")).toBe("Not sealed yet")
    expect(healthDate(t, null, "verification", "en")).toBe("Not verified yet")
    expect(healthDate(t, "2026-12-01T12:00:00.000Z", "seal", "en")).toMatch(/2026/)
  })

  it("formats sizes with the language's own unit, in its direction", () => {
    expect(formatSize(304 * 1024, "en")).toBe("304 kB")
    expect(formatSize(512, "en")).toBe("512 byte")
    expect(formatSize(1.5 * 1024 * 1024, "en")).toBe("1.5 MB")
    const arabic = formatSize(304 * 1024, "ar")
    // Arabic digits and an Arabic unit, not "kB 304".
    expect(arabic).not.toMatch(/kB/)
    expect(arabic).toMatch(/^(304|٣٠٤)\s[\u0600-\u06FF]/)
  })

  it("shows a lifetime's unit once: the label says seconds, the value is the number", () => {
    expect(en.loginAsCustomer.settings.ticketTtl).toMatch(/\(seconds\)/)
    expect(lifetimeValue(60, "en")).toBe("60")
    expect(lifetimeValue(86400, "en")).toBe("86,400")
  })

  it("says how many verification records not signed with the key it passed over, and that there may be more", () => {
    expect(passedOverText(t, { count: 0, at_least: false }, "en")).toBeNull()
    expect(passedOverText(t, undefined, "en")).toBeNull()
    expect(passedOverText(t, { count: 2501, at_least: false }, "en")).toBe(
      "Newer verification records not signed with the key, passed over: 2,501"
    )
    expect(passedOverText(t, { count: 20000, at_least: true }, "en")).toBe(
      "Newer verification records not signed with the key, passed over: 20,000+"
    )
  })
})
