import fs from "fs"
import path from "path"

const I18N = path.resolve(__dirname, "../i18n")
const LANGUAGES = fs
  .readdirSync(I18N)
  .filter((file) => file.endsWith(".json"))
  .map((file) => file.replace(/\.json$/, ""))

type Strings = {
  loginAsCustomer: { log: { title: string }; settings: { canViewLog: string }; nav: Record<string, string> }
}
const read = (language: string): Strings => JSON.parse(fs.readFileSync(path.join(I18N, `${language}.json`), "utf8"))
const lower = (text: string, language: string) => text.toLocaleLowerCase(language.replace(/^([a-z]{2,3})([A-Z]{2})$/, "$1-$2"))

/**
 * The log has one name per language: the sidebar shows the page's own title
 * (one key), and the grants column "View …" repeats that name.
 */
describe("the log's name", () => {
  it("is one key for the sidebar and the page title", () => {
    const page = fs.readFileSync(path.resolve(__dirname, "../routes/login-as-customer-log/page.tsx"), "utf8")
    expect(page).toMatch(/label: "loginAsCustomer\.log\.title"/)
    expect(page).toMatch(/t\("loginAsCustomer\.log\.title"\)/)
    for (const language of LANGUAGES) {
      expect([language, read(language).loginAsCustomer.nav.log]).toEqual([language, undefined])
    }
  })

  it.each(LANGUAGES)("%s names it the same in the grants column", (language) => {
    const { log, settings } = read(language).loginAsCustomer
    expect(lower(settings.canViewLog, language)).toContain(lower(log.title, language))
  })
})
