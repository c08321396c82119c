import { AdminListLog, LOG_MAX_SEARCH } from "../../admin/login-as-customer/validators"

describe("the log list's query", () => {
  it(`takes a search of ${LOG_MAX_SEARCH} code points however many UTF-16 units they are, and refuses one more`, () => {
    const emoji = "\u{1F600}"
    expect(AdminListLog.parse({ q: emoji.repeat(LOG_MAX_SEARCH) }).q).toBe(emoji.repeat(LOG_MAX_SEARCH))
    expect(AdminListLog.parse({ q: `  ${"é".repeat(LOG_MAX_SEARCH)}  ` }).q).toBe("é".repeat(LOG_MAX_SEARCH))
    for (const q of [emoji.repeat(LOG_MAX_SEARCH + 1), "a".repeat(LOG_MAX_SEARCH + 1)]) {
      const result = AdminListLog.safeParse({ q })
      expect(result.success).toBe(false)
      expect(result.error!.issues).toEqual([expect.objectContaining({ path: ["q"], message: "must be at most 320 characters" })])
    }
  })
})
