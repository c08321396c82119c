import { createInstance } from "i18next"
import React, { createElement } from "react"
import { renderToStaticMarkup } from "react-dom/server"
import { initReactI18next } from "react-i18next"
import { SealingStopped } from "../components/log-integrity/sealing-stopped"
import resources from "../i18n"

// The unit tests compile JSX for React.createElement (the admin's bundler for
// the automatic runtime): the component finds React where it looks for it.
Object.assign(globalThis, { React })

// The admin's translations, as the dashboard hands them to react-i18next (its instance for useTranslation).
const i18n = createInstance()
beforeAll(() => i18n.use(initReactI18next).init({ resources, lng: "en", fallbackLng: "en", interpolation: { escapeValue: false } }))

/** Log health's sealing-stopped line as the admin renders it, in a language. */
async function render(stopped: { seq: number; reason: string } | null, language = "en"): Promise<string> {
  await i18n.changeLanguage(language)
  return renderToStaticMarkup(createElement(SealingStopped, { stopped }))
}

const text = (html: string) => html.replace(/<[^>]+>/g, "")

describe("Settings → Log health, when sealing has stopped", () => {
  const stopped = { seq: 12, reason: "checkpoint 12 is not signed with this key" }

  it("says so in red, with the checkpoint's seq and the server's reason as technical detail", async () => {
    const html = await render(stopped)
    expect(html).toMatch(/data-testid="lac-log-health-sealing-stopped"/)
    expect(html).toMatch(/class="[^"]*text-ui-fg-error/)
    expect(text(html)).toBe(
      "Sealing has stopped: checkpoint 12 was not written by the seal job or retention (added or changed with SQL). " +
        "New log lines stay unsealed until it is explained: run a full check. checkpoint 12 is not signed with this key"
    )
    expect(html).toContain('<code dir="ltr" class="text-ui-fg-subtle">checkpoint 12 is not signed with this key</code>')
  })

  it("says it in the admin's language, the reason left as the server wrote it", async () => {
    const html = await render({ seq: 1234, reason: "checkpoint 1234 follows no checkpoint: 1233 is missing" }, "ar")
    expect(text(html)).toContain("نقطة التحقق 1234")
    expect(html).toContain("<code dir=\"ltr\" class=\"text-ui-fg-subtle\">checkpoint 1234 follows no checkpoint: 1233 is missing</code>")
    expect(text(await render(stopped, "de"))).toMatch(/^Versiegelung angehalten: Prüfpunkt 12 /)
  })

  it("shows nothing while sealing goes on", async () => {
    expect(await render(null)).toBe("")
  })

  it("escapes the server's reason (shown as text, never as markup)", async () => {
    const html = await render({ seq: 3, reason: "checkpoint 3 <b>x</b>" })
    expect(html).toContain("checkpoint 3 &lt;b&gt;x&lt;/b&gt;")
  })
})
