import { createInstance } from "i18next"
import React, { createElement } from "react"
import { renderToStaticMarkup } from "react-dom/server"
import { initReactI18next } from "react-i18next"
import { GuardsRewritten } from "../components/log-integrity/guards-rewritten"
import resources from "../i18n"

// The unit tests compile JSX for React.createElement: the component finds React where it looks for it.
Object.assign(globalThis, { React })

const i18n = createInstance()
beforeAll(() => i18n.use(initReactI18next).init({ resources, lng: "en", fallbackLng: "en", interpolation: { escapeValue: false } }))

async function render(rewritten: Parameters<typeof GuardsRewritten>[0]["rewritten"], language = "en"): Promise<string> {
  await i18n.changeLanguage(language)
  return renderToStaticMarkup(createElement(GuardsRewritten, { rewritten }))
}

describe("GuardsRewritten", () => {
  const rewritten = [
    { checkpoint: 4, after: "2026-12-04T03:10:00.000Z", before: "2026-12-04T03:11:00.000Z" },
    { checkpoint: null, after: "2026-12-04T03:12:00.000Z", before: null },
  ]

  it("says nothing when the safeguards were never changed, or before a verification answered", async () => {
    expect(await render([])).toBe("")
    expect(await render(undefined)).toBe("")
  })

  it("warns, with each time between two seals and the checkpoint, and the one since the newest seal", async () => {
    const html = await render(rewritten)
    expect(html).toContain("were changed at the times below, even if they were put back since")
    const at = (iso: string) => new Date(iso).toLocaleString("en", { dateStyle: "medium", timeStyle: "medium" })
    expect(html).toContain(`Between ${at(rewritten[0].after)} and ${at(rewritten[0].before!)} (checkpoint 4)`)
    expect(html).toContain(`Since ${at(rewritten[1].after)} (the newest seal)`)
    const german = await render(rewritten, "de")
    expect(german).not.toContain("were changed at the times below")
    expect(german).toContain("04.12.2026")
  })
})
