import { createInstance } from "i18next"
import React, { createElement } from "react"
import { renderToStaticMarkup } from "react-dom/server"
import { initReactI18next } from "react-i18next"
import { GuardsChanged } from "../components/log-integrity/guards-changed"
import resources from "../i18n"

// The unit tests compile JSX for React.createElement: the component finds React where it looks for it.
Object.assign(globalThis, { React })

const i18n = createInstance()
beforeAll(() => i18n.use(initReactI18next).init({ resources, lng: "en", fallbackLng: "en", interpolation: { escapeValue: false } }))

async function render(changed: Parameters<typeof GuardsChanged>[0]["changed"], language = "en"): Promise<string> {
  await i18n.changeLanguage(language)
  return renderToStaticMarkup(createElement(GuardsChanged, { changed }))
}

describe("GuardsChanged", () => {
  const changed = [
    { table: "login_as_customer_log_entry", trigger: "login_as_customer_log_entry_no_change", state: "origin" as const },
    { table: "login_as_customer_settings", trigger: "login_as_customer_settings_retention_logged", state: "missing" as const },
  ]

  it("says nothing while every trigger fires in every session, or before the health is read", async () => {
    expect(await render([])).toBe("")
    expect(await render(undefined)).toBe("")
  })

  it("warns, naming each trigger with its table and state as PostgreSQL's names, left to right in every language", async () => {
    const html = await render(changed)
    expect(html).toContain("safeguards in the database were changed")
    expect(html).toContain('<code dir="ltr" class="txt-compact-small text-ui-fg-subtle">login_as_customer_log_entry_no_change on login_as_customer_log_entry: origin</code>')
    expect(html).toContain("login_as_customer_settings_retention_logged on login_as_customer_settings: missing")
    const arabic = await render(changed, "ar")
    expect(arabic).not.toContain("safeguards in the database were changed")
    expect(arabic).toContain('<code dir="ltr" class="txt-compact-small text-ui-fg-subtle">login_as_customer_log_entry_no_change on login_as_customer_log_entry: origin</code>')
  })
})
