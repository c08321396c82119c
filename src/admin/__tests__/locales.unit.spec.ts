import fs from "fs"
import path from "path"
import resources from "../i18n"

const I18N = path.resolve(__dirname, "../i18n")
const DASHBOARD = path.resolve(
  path.dirname(require.resolve("@medusajs/dashboard/package.json")),
  "src/i18n/translations"
)

type Tree = { [key: string]: string | Tree }

function flatten(tree: Tree, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === "string") out[prefix + key] = value
    else flatten(value, `${prefix}${key}.`, out)
  }
  return out
}

const read = (file: string): Tree => JSON.parse(fs.readFileSync(file, "utf8"))
const placeholders = (text: string) => (text.match(/\{\{\s*[\w.]+\s*\}\}/g) ?? []).map((p) => p.replace(/\s/g, "")).sort()

/** The dashboard's languages: one translation file each (en and enGB included). */
const LANGUAGES = fs
  .readdirSync(DASHBOARD)
  .filter((file) => /^[a-zA-Z]+\.json$/.test(file))
  .map((file) => file.replace(/\.json$/, ""))
  .sort()

const en = flatten(read(path.join(I18N, "en.json")))

/** i18next's plural suffixes: "erased_one", "erased_other" are one text counted. */
const PLURAL = /_(zero|one|two|few|many|other)$/
/** Texts with a count, which every language words with its own plural forms. */
const COUNTED = ["loginAsCustomer.logIntegrity.erased", "loginAsCustomer.logIntegrity.days"]
const pluralBases = [...new Set(Object.keys(en).filter((key) => PLURAL.test(key)).map((key) => key.replace(PLURAL, "")))]

/** The plural forms a language has, as i18next picks them (Intl.PluralRules). */
const pluralForms = (language: string) =>
  new Intl.PluralRules(language.replace(/^([a-z]{2,3})([A-Z]{2})$/, "$1-$2")).resolvedOptions().pluralCategories

/**
 * The keys a language's file must have, each with the English text it
 * translates: en's keys, but a counted text in the language's plural forms
 * (Arabic six, Polish four, Japanese one), each translating English "_other"
 * (or "_one" for its "one" form).
 */
function expected(language: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, text] of Object.entries(en)) if (!PLURAL.test(key)) out[key] = text
  for (const base of pluralBases) {
    for (const form of pluralForms(language)) {
      out[`${base}_${form}`] = en[`${base}_${form}`] ?? (form === "one" ? en[`${base}_one`] : undefined) ?? en[`${base}_other`]
    }
  }
  return out
}

/** English and British English may keep the English text. */
const ENGLISH = ["en", "enGB"]

/**
 * Texts that are the same in every language: no words once the placeholders
 * are gone ("{{permission}}: {{email}}"), or only these abbreviations.
 */
const NEUTRAL = /^(ID|CSV|URL|RBAC|B2B|\W|\d|\s)*$/
const neutral = (text: string) => NEUTRAL.test(text.replace(/\{\{[^}]+\}\}/g, ""))

/** Where a language's word is spelled as the English one, key by key. */
const SAME_AS_ENGLISH: Record<string, string[]> = {
  de: [
    "loginAsCustomer.settings.storefrontName",
    "loginAsCustomer.settings.status",
    "loginAsCustomer.log.details",
    "loginAsCustomer.log.fields.system",
  ],
  es: ["loginAsCustomer.settings.general", "loginAsCustomer.settings.no"],
  fr: [
    "loginAsCustomer.dialog.mode",
    "loginAsCustomer.log.action",
    "loginAsCustomer.log.date",
    "loginAsCustomer.log.session",
    "loginAsCustomer.log.mode",
  ],
  id: [
    "loginAsCustomer.settings.edit",
    "loginAsCustomer.settings.editSection",
    "loginAsCustomer.settings.status",
    "loginAsCustomer.log.admin",
    "loginAsCustomer.log.mode",
  ],
  it: ["loginAsCustomer.settings.no"],
  nl: ["loginAsCustomer.settings.status", "loginAsCustomer.log.details"],
  pl: ["loginAsCustomer.log.fields.system"],
  ptBR: ["loginAsCustomer.settings.status"],
  ro: ["loginAsCustomer.settings.general"],
  sv: [
    "loginAsCustomer.dialog.mode",
    "loginAsCustomer.settings.status",
    "loginAsCustomer.log.session",
    "loginAsCustomer.log.modes.full",
    "loginAsCustomer.log.fields.system",
    "loginAsCustomer.log.fields.order",
  ],
}

/** The dashboard's own keys the plugin uses (Save, Cancel, the unsaved-changes prompt). */
const DASHBOARD_KEYS = [
  "actions.save",
  "actions.cancel",
  "actions.continue",
  "actions.close",
  "general.unsavedChangesTitle",
  "general.unsavedChangesDescription",
]

describe("admin translations", () => {
  it("covers every language the dashboard ships", () => {
    expect(LANGUAGES.length).toBe(35)
    const files = fs.readdirSync(I18N).filter((file) => file.endsWith(".json")).map((f) => f.replace(/\.json$/, ""))
    expect(files.sort()).toEqual(LANGUAGES)
  })

  it("hands every locale file to the dashboard (src/admin/i18n/index.ts)", () => {
    const loaded = resources as Record<string, { translation: Tree }>
    expect(Object.keys(loaded).sort()).toEqual(LANGUAGES)
    for (const language of LANGUAGES) {
      expect([language, loaded[language].translation]).toEqual([language, read(path.join(I18N, `${language}.json`))])
    }
  })

  it("words counted texts with plural forms (no \"1 lines\")", () => {
    expect(COUNTED.filter((key) => !pluralBases.includes(key))).toEqual([])
  })

  it.each(LANGUAGES)("%s has every key of en.json (counted ones in its plural forms), and no other", (language) => {
    const strings = flatten(read(path.join(I18N, `${language}.json`)))
    const wanted = expected(language)
    expect({ missing: Object.keys(wanted).filter((key) => !(key in strings)), extra: Object.keys(strings).filter((key) => !(key in wanted)) }).toEqual({
      missing: [],
      extra: [],
    })
  })

  it.each(LANGUAGES)("%s keeps the placeholders and leaves nothing empty", (language) => {
    const strings = flatten(read(path.join(I18N, `${language}.json`)))
    const wanted = expected(language)
    const wrong = Object.keys(wanted).filter(
      (key) =>
        typeof strings[key] !== "string" ||
        !strings[key].trim() ||
        strings[key].includes("loginAsCustomer.") ||
        placeholders(strings[key]).join() !== placeholders(wanted[key]).join()
    )
    expect(wrong).toEqual([])
  })

  it.each(LANGUAGES.filter((language) => !ENGLISH.includes(language)))(
    "%s translates every English text",
    (language) => {
      const strings = flatten(read(path.join(I18N, `${language}.json`)))
      const allowed = SAME_AS_ENGLISH[language] ?? []
      const wanted = expected(language)
      const english = Object.keys(wanted).filter(
        (key) => strings[key] === wanted[key] && !neutral(wanted[key]) && !allowed.includes(key)
      )
      expect(english).toEqual([])
    }
  )

  it("has every key the admin code asks for (no raw key on screen)", () => {
    const ADMIN = path.resolve(__dirname, "..")
    const files: string[] = []
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name)
        if (entry.isDirectory()) {
          if (!["__tests__", "i18n"].includes(entry.name)) walk(full)
        } else if (/\.tsx?$/.test(entry.name)) {
          files.push(full)
        }
      }
    }
    walk(ADMIN)
    const keys = Object.keys(en)
    const missing: string[] = []
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8")
      // A whole key in quotes: "loginAsCustomer.settings.title".
      for (const [, key] of text.matchAll(/["'`](loginAsCustomer\.[\w.]+)["'`]/g)) {
        if (!(key in en) && !pluralBases.includes(key)) missing.push(`${path.relative(ADMIN, file)}: ${key}`)
      }
      // A key built from a prefix: `loginAsCustomer.log.actions.${action}`.
      for (const [, prefix] of text.matchAll(/`(loginAsCustomer\.[\w.]*)\$\{/g)) {
        if (!keys.some((key) => key.startsWith(prefix))) missing.push(`${path.relative(ADMIN, file)}: ${prefix}…`)
      }
    }
    expect(files.length).toBeGreaterThan(5)
    expect(missing).toEqual([])
  })

  it.each(LANGUAGES)("the dashboard's %s has the generic words the plugin borrows", (language) => {
    const strings = flatten(read(path.join(DASHBOARD, `${language}.json`)))
    expect(DASHBOARD_KEYS.filter((key) => typeof strings[key] !== "string")).toEqual([])
  })
})
