import fs from "fs"
import path from "path"
import en from "../i18n/en.json"
import { entryActionText, entryDetailFields, entryEndReason, parts } from "../components/log/log-entry-fields"
import type { LogEntry } from "../lib/types"
import i18next from "i18next"
import { endReasonText } from "../components/login-as-customer-text"
import { END_REASONS } from "../../types"

const I18N = path.resolve(__dirname, "../i18n")

/** i18next's t over en.json, enough for these texts. */
const t = ((key: string, options?: { defaultValue?: string }) => {
  const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], en)
  return typeof value === "string" ? value : options?.defaultValue ?? key
}) as never

const entry = (action: string, details: Record<string, unknown> | null): LogEntry => ({
  id: "lacl_1",
  action,
  actor_type: "user",
  actor_id: "user_1",
  user_id: "user_1",
  user_email: "ada@example.com",
  customer_id: "cus_1",
  customer_email: "jane@example.com",
  session_id: "lacs_1",
  details,
  created_at: "2026-12-01T12:00:00.000Z",
})

describe("the log's action text", () => {
  it("says how a session ended: the admin logged out", () => {
    expect(entryActionText(t, entry("session_ended", { end_reason: "admin_logout" }))).toBe(
      "Session ended: the admin logged out"
    )
  })

  it("says who ended a session without repeating \"ended\"", () => {
    expect(entryActionText(t, entry("session_ended", { end_reason: "ended_by_admin" }))).toBe("Session ended: by an admin")
  })

  it.each(fs.readdirSync(I18N).filter((file) => file.endsWith(".json")))("%s doesn't repeat a word of \"Session ended\" in \"by an admin\"", (file) => {
    const strings = JSON.parse(fs.readFileSync(path.join(I18N, file), "utf8")).loginAsCustomer
    const words = (text: string) => text.toLowerCase().split(/[\s:()]+/u).filter((word) => word.length > 2)
    const action = words(strings.log.actions.session_ended)
    expect(words(strings.endReasons.ended_by_admin).filter((word) => action.includes(word))).toEqual([])
  })

  it.each(END_REASONS)("has words for the end reason %s", (reason) => {
    const text = entryActionText(t, entry("session_ended", { end_reason: reason }))
    expect(text).toMatch(/^Session ended: /)
    expect(text).not.toContain("loginAsCustomer.")
    expect(text).not.toBe("Session ended: ")
  })

  it.each(fs.readdirSync(I18N).filter((file) => file.endsWith(".json")))(
    "%s: a session that ended for a reason without words reads as the action alone (no \"Session ended: ended\")",
    async (file) => {
      const language = file.replace(/\.json$/, "")
      const strings = JSON.parse(fs.readFileSync(path.join(I18N, file), "utf8"))
      const i18n = i18next.createInstance()
      await i18n.init({ lng: language, fallbackLng: false, resources: { [language]: { translation: strings } } })
      const action = strings.loginAsCustomer.log.actions.session_ended
      expect(entryActionText(i18n.t, entry("session_ended", { end_reason: "a_reason_from_a_later_version" }))).toBe(action)
      expect(endReasonText(i18n.t, "a_reason_from_a_later_version")).toBeNull()
      expect(endReasonText(i18n.t, null)).toBeNull()
      // A known reason keeps its words.
      expect(entryActionText(i18n.t, entry("session_ended", { end_reason: "expired" }))).toBe(
        `${action}: ${strings.loginAsCustomer.endReasons.expired}`
      )
    }
  )

  it("leaves other lines as their action, and ignores an end_reason outside a session's end", () => {
    expect(entryActionText(t, entry("session_started", { end_reason: "admin_logout" }))).toBe("Session started")
    expect(entryEndReason(entry("login_denied", { end_reason: "admin_logout" }))).toBeNull()
    expect(entryActionText(t, entry("session_ended", null))).toBe("Session ended")
    expect(entryActionText(t, entry("storefront_origins_changed", { from: null, to: [] }))).toBe("Storefront origins changed")
  })
})

describe("the log drawer's values", () => {
  it("skips empty parts when it joins a value (no \"Admin · · admin@example.com\")", () => {
    expect(parts("Admin", "", "  ", null, undefined, "admin@example.com", "user_1")).toEqual(["Admin", "admin@example.com", "user_1"])
  })

  it("says a store action was allowed only when its line says so (one written by SQL without an outcome shows none)", () => {
    const outcome = (details: Record<string, unknown> | null) =>
      entryDetailFields(t, entry("store_action", details), "en").find((f) => f.id === "outcome")?.value
    expect(outcome({ outcome: "allowed", method: "POST" })).toBe(en.loginAsCustomer.settings.allowed)
    expect(outcome({ outcome: "refused", code: "restricted_action" })).toBe(en.loginAsCustomer.log.refused)
    expect(outcome({ method: "POST" })).toBeUndefined()
    expect(outcome(null)).toBeUndefined()
  })

  it("names a storefront by its name in the settings, else its id", () => {
    const fields = (names?: Record<string, string>) =>
      entryDetailFields(t, entry("session_started", { storefront_id: "reference" }), "en", names).find((f) => f.id === "storefront")?.value
    expect(fields({ reference: "Reference storefront" })).toBe("Reference storefront")
    expect(fields({})).toBe("reference")
    expect(fields()).toBe("reference")
  })
})
