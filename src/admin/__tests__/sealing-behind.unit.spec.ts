import { createInstance } from "i18next"
import React, { createElement } from "react"
import { renderToStaticMarkup } from "react-dom/server"
import { initReactI18next } from "react-i18next"
import { SealingBehind } from "../components/log-integrity/sealing-behind"
import { formatDate } from "../lib/locale"
import resources from "../i18n"

// The unit tests compile JSX for React.createElement (the admin's bundler for
// the automatic runtime): the component finds React where it looks for it.
Object.assign(globalThis, { React })

// The admin's translations, as the dashboard hands them to react-i18next (its instance for useTranslation).
const i18n = createInstance()
beforeAll(() => i18n.use(initReactI18next).init({ resources, lng: "en", fallbackLng: "en", interpolation: { escapeValue: false } }))

const NOW = Date.parse("2026-12-02T15:00:00.000Z")
const minutesAgo = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString()

/** Log health's sealing-behind line as the admin renders it at NOW, in a language. */
async function render(
  oldestUnsealedAt: string | null,
  stopped: { seq: number; reason: string } | null = null,
  language = "en"
): Promise<string> {
  await i18n.changeLanguage(language)
  return renderToStaticMarkup(createElement(SealingBehind, { oldestUnsealedAt, stopped, now: NOW }))
}

/** The text a reader sees (React escapes the apostrophes of "server's", "seal's"). */
const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&#x27;/g, "'")

describe("Settings → Log health, when sealing is behind", () => {
  it("says so in red when the oldest unsealed line is 10 minutes old, with its time as the section writes dates", async () => {
    const at = minutesAgo(10)
    const html = await render(at)
    expect(html).toMatch(/data-testid="lac-log-health-sealing-behind"/)
    expect(html).toMatch(/class="[^"]*text-ui-fg-error/)
    expect(text(html)).toBe(
      `Sealing is behind: the oldest log line not sealed yet was written ${formatDate(at, "en")}. ` +
        "The seal job runs every minute: check the server's log for its errors, and the database for a session holding the seal's lock."
    )
  })

  it("says it in the admin's language, the time formatted for it", async () => {
    const at = minutesAgo(10)
    expect(text(await render(at, null, "de"))).toBe(
      `Versiegelung im Rückstand: Die älteste noch nicht versiegelte Protokollzeile wurde am ${formatDate(at, "de")} geschrieben. ` +
        "Der Versiegelungsjob läuft jede Minute: Suchen Sie im Server-Log nach seinen Fehlern und in der Datenbank nach einer Sitzung, die die Sperre der Versiegelung hält."
    )
  })

  it("shows nothing while lines are sealed in time (1 minute old)", async () => {
    expect(await render(minutesAgo(1))).toBe("")
  })

  it("shows nothing when every line is sealed", async () => {
    expect(await render(null)).toBe("")
  })

  it("shows nothing when sealing has stopped (its own line says so)", async () => {
    expect(await render(minutesAgo(10), { seq: 12, reason: "checkpoint 12 is not signed with this key" })).toBe("")
  })
})
