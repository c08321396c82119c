import {
  canonicalLogUrl,
  LOG_MAX_OFFSET,
  parseDateRange,
  readLogUrl,
  writeLogUrl,
} from "../routes/login-as-customer-log/log-url-params"

const read = (search: string) => readLogUrl(new URLSearchParams(search))

describe("the log page's address", () => {
  it("reads Medusa's list-page names: q, order, offset, a key per filter (lists repeated or comma-separated)", () => {
    const range = JSON.stringify({ $gte: "2026-11-01T00:00:00.000Z", $lte: "2026-11-30T23:59:59.999Z" })
    expect(
      read(
        `q=ticket%2042&order=created_at&offset=40&action=session_started,order_placed&action=store_action` +
          `&user_id=user_01&customer_id=cus_01&customer_id=cus_02&created_at=${encodeURIComponent(range)}`
      )
    ).toEqual({
      q: "ticket 42",
      action: ["session_started", "order_placed", "store_action"],
      user_id: ["user_01"],
      customer_id: ["cus_01", "cus_02"],
      created_at: { $gte: "2026-11-01T00:00:00.000Z", $lte: "2026-11-30T23:59:59.999Z" },
      order: "created_at",
      offset: 40,
    })
  })

  it("has newest first, the first page and no filter by default", () => {
    expect(read("")).toEqual({ q: "", action: [], user_id: [], customer_id: [], created_at: null, order: "-created_at", offset: 0 })
  })

  it("leaves out what can't be a value: unknown actions, ids with markup, bad dates, bad orders", () => {
    const state = read(
      "action=not_an_action,<script>alert(1)</script>,session_ended&user_id=%22%3E%3Cimg%20src%3Dx%3E&customer_id=cus_1&customer_id=cus_1,cus_1" +
        "&order=created_at;drop&created_at=not-json"
    )
    expect(state.action).toEqual(["session_ended"])
    expect(state.user_id).toEqual([])
    expect(state.customer_id).toEqual(["cus_1"])
    expect(state.order).toBe("-created_at")
    expect(state.created_at).toBeNull()
  })

  it.each([
    ['{"$gte":"banana"}', null],
    ['{"$gte":"2026-13-45"}', null],
    ['{"$gte":"1"}', null],
    ['["2026-01-01"]', null],
    ["null", null],
    ['{"$gte":{"$ne":1}}', null],
    ['{"$gte":"2026-01-01T00:00:00.000Z","$lte":"<script>"}', { $gte: "2026-01-01T00:00:00.000Z" }],
    ['{"$lte":"9999-12-31T23:59:59.999Z"}', { $lte: "9999-12-31T23:59:59.999Z" }],
    ['{"$gte":"2026-01-01T00:00:00Z","$where":"1"}', { $gte: "2026-01-01T00:00:00.000Z" }],
  ])("reads the date range %s as %j", (value, range) => {
    expect(parseDateRange(value)).toEqual(range)
  })

  it.each([
    ["offset=-20", 0],
    ["offset=abc", 0],
    ["offset=1e3", 0],
    ["offset=25", 20],
    ["offset=99999999999999999999", LOG_MAX_OFFSET],
    ["offset=20&offset=99999", 20],
  ])("brings %s to a page's start in range: %i", (search, offset) => {
    expect(read(search).offset).toBe(offset)
  })

  it("takes the first of a key given twice where one value is meant", () => {
    expect(read("q=first&q=second&order=created_at&order=-created_at").q).toBe("first")
    expect(read("q=first&q=second&order=created_at&order=-created_at").order).toBe("created_at")
  })

  it("keeps a search as typed (markup is text), cut at the route's 320 characters", () => {
    expect(read(`q=${encodeURIComponent("<img src=x onerror=alert(1)>")}`).q).toBe("<img src=x onerror=alert(1)>")
    expect(read(`q=${"a".repeat(1000)}`).q).toHaveLength(320)
  })

  it("counts a search's 320 in code points, as the route does: an emoji like 😀 is one, never cut between its two UTF-16 units", () => {
    const emoji = "\u{1F600}"
    expect(read(`q=${encodeURIComponent(emoji.repeat(400))}`).q).toBe(emoji.repeat(320))
    expect(read(`q=${encodeURIComponent("a" + emoji.repeat(400))}`).q).toBe("a" + emoji.repeat(319))
  })

  it("names at most 100 admins or customers", () => {
    const ids = Array.from({ length: 150 }, (_, i) => `cus_${i}`)
    expect(read(`customer_id=${ids.join(",")}`).customer_id).toEqual(ids.slice(0, 100))
  })

  it("writes the state back with the defaults left out, other keys kept; reading what it wrote gives the same state", () => {
    const state = read("q=jane&action=session_started&customer_id=cus_1&order=created_at&offset=20")
    const written = writeLogUrl(new URLSearchParams("tab=1&offset=60"), state)
    expect(written.toString()).toBe("tab=1&q=jane&action=session_started&customer_id=cus_1&order=created_at&offset=20")
    expect(readLogUrl(written)).toEqual(state)
    expect(writeLogUrl(new URLSearchParams(), read("")).toString()).toBe("")
  })

  it("rewrites an address that held invalid values to what is shown, once (the rewrite is stable)", () => {
    const hostile = new URLSearchParams(
      "action=nope,session_started&q=a&q=b&offset=99999999999&order=x&created_at=%7B%22%24gte%22%3A%22banana%22%7D&user_id=%3Cscript%3E&extra=kept"
    )
    const canonical = canonicalLogUrl(hostile)
    expect(canonical.toString()).toBe(`extra=kept&q=a&action=session_started&offset=${LOG_MAX_OFFSET}`)
    expect(canonicalLogUrl(canonical).toString()).toBe(canonical.toString())
  })
})
