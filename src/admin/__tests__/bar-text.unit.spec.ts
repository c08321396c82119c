import fs from "fs"
import path from "path"

const I18N = path.resolve(__dirname, "../i18n")
const FILES = fs.readdirSync(I18N).filter((file) => file.endsWith(".json"))
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(I18N, file), "utf8")).loginAsCustomer

/** The sentence's final stop ("." "。"), or "" when it has none. */
const stop = (text: string) => text.trim().match(/[.。।]$/)?.[0] ?? ""

describe("the customer page's Login as Customer bar", () => {
  it.each(FILES)("%s ends its sentences as the refusal beside them does", (file) => {
    const strings = read(file)
    // "The customer hasn't allowed remote shopping assistance." sits where "The customer allows…" does.
    const expected = stop(strings.reasons.assistance_not_allowed)
    const bar = ["ready", "allowed", "allowedUntil"].map((key) => [key, stop(strings.bar[key])])
    expect(bar).toEqual(bar.map(([key]) => [key, expected]))
  })

  it.each(["en.json", "enGB.json"])("%s says a session has been in progress since it started", (file) => {
    expect(read(file).bar.yourSessionActive).toBe("Your session has been in progress since {{date}}")
  })
})
