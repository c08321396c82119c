import { isRareText, lookupShare, rareSearchParts, SearchSample, searchWords, textShare } from "../utils/log-search"
import { inIndexOrder } from "../utils/log-sql"

/**
 * A sample like the planner's for a busy store: forty first and forty last
 * names, thousands of customers, so each name's trigrams are in a few
 * percent of the lines and a whole email in very few.
 */
const FIRST = ["emma", "noah", "olivia", "liam", "ava"]
const LAST = ["yilmaz", "smith", "garcia", "rossi", "nowak"]
const random: string[] = []
for (let i = 0; i < 100; i++) {
  const email = `${FIRST[i % 5]}.${LAST[Math.floor(i / 5) % 5]}${1000 + i * 37}@shop.example`
  random.push(`agent.one@shop.example ${email} store_action lacs_${i} cus_${i} user_1`)
}
const sample: SearchSample = { common: [], random }

describe("rareSearchParts", () => {
  it("looks up only the rarest run of an email made of common names, with the edge of its word", () => {
    // Every window of "emma" and "yilmaz" is in the sample; "az4" and "4242" in none.
    expect(rareSearchParts("emma.yilmaz4242@", sample)).toEqual(["az4242@"])
    expect(isRareText("emma.yilmaz4242@", sample)).toBe(true)
  })

  it("looks up the whole text when nothing in it is rare, when all of it is, or without a sample", () => {
    expect(rareSearchParts("shop.example", sample)).toEqual([])
    expect(isRareText("shop.example", sample)).toBe(false)
    // Every window equally rare: the whole text is the better lookup.
    expect(rareSearchParts("zq9xw", sample)).toEqual([])
    expect(rareSearchParts("emma.yilmaz4242@", { common: [], random: [] })).toEqual([])
    expect(isRareText("emma.yilmaz4242@", { common: [], random: [] })).toBe(false)
  })

  it("takes only ASCII letters and digits as parts, and no part the sample holds together", () => {
    expect(rareSearchParts("émma.yilmaz4242@", sample).every((part) => /^[\x20-\x7e]+$/.test(part))).toBe(true)
    // "1037" is in the sample (emma's number): no rare part is left but the whole text.
    expect(rareSearchParts("noah.yilmaz1037", sample)).toEqual([])
  })

  it("weighs the most common values by their share", () => {
    const common: SearchSample = { common: [{ text: "x 4242 y", share: 0.2 }], random }
    expect(isRareText("4242", common)).toBe(false)
  })
})

describe("searchWords", () => {
  it("takes the words with a separator on each side, as typed (lowered in SQL)", () => {
    expect(searchWords("emma.yilmaz4242@", sample)).toEqual(["yilmaz4242"])
    expect(searchWords("a.Yilmaz4242@Web.de", sample)).toEqual(["Yilmaz4242", "Web"])
    expect(searchWords("lacs_w9 zq_3", sample)).toEqual(["w9", "zq"])
  })

  it("takes no word at the text's edges, which may be part of a longer one", () => {
    expect(searchWords("yilmaz4242", sample)).toEqual([])
    expect(searchWords("emma.yilmaz4242", sample)).toEqual([])
    expect(searchWords("émma..yilmaz", sample)).toEqual([])
  })

  it("leaves out the words the sample shows common, keeps all without a sample", () => {
    // "shop" and "example" are in every sampled line.
    expect(searchWords("x@shop.example.y", sample)).toEqual([])
    expect(searchWords("x@shop.example.y", { common: [], random: [] })).toEqual(["shop", "example"])
  })
})

describe("textShare", () => {
  it("finds a text with a space in one column of the sampled texts, not across two", () => {
    // Half the lines with a reason (the last column, with spaces of its own), half with none.
    const reasons: SearchSample = {
      common: [{ text: "a@x.example b@x.example store_action lacs_1 cus_1 user_1 customer asked by phone", share: 0.2 }],
      random: random.map((text, i) => (i % 2 ? `${text} customer asked about it` : `${text} `)),
    }
    expect(textShare("Customer Asked", reasons)).toBeCloseTo(0.2 + 0.8 * 0.5)
    // The end of every email and the action after it: side by side in the joined text, in no column.
    expect(textShare("example store", reasons)).toBe(0)
    expect(textShare("example", reasons)).toBe(1)
    expect(textShare("customer asked", { common: [], random: [] })).toBe(0)
  })
})

describe("lookupShare", () => {
  it("is the share of lines holding every piece the index looks up, not the lines holding the text", () => {
    // A text in no sampled line whose runs are in all of them: the trigram index returns every line to check.
    expect(textShare("example.shop", sample)).toBe(0)
    expect(lookupShare("example.shop", {}, sample)).toBe(1)
    expect(lookupShare("example.shop", { rareParts: [] }, sample)).toBe(1)
    // Its words or rare parts when it has some: the lines holding all of them.
    expect(lookupShare("emma.yilmaz1000@", { words: ["yilmaz1000"] }, sample)).toBeCloseTo(0.01)
    expect(lookupShare("x", { rareParts: ["lacs_1", "cus_1"] }, sample)).toBeCloseTo(textShare("lacs_1", sample))
    // No run of letters or digits: the index can't narrow it down. No sample: nothing known.
    expect(lookupShare("@@", {}, sample)).toBe(1)
    expect(lookupShare("example.shop", {}, { common: [], random: [] })).toBe(0)
  })
})

describe("inIndexOrder", () => {
  it("is true where one index range gives the lines in order: no text, at most one value of each column", () => {
    expect(inIndexOrder({})).toBe(true)
    expect(inIndexOrder({ action: ["order_placed"], user_id: "user_1", created_at: { gte: "2026-01-01" } })).toBe(true)
    expect(inIndexOrder({ customer_id: ["cus_1", "cus_1"], session_id: "lacs_1" })).toBe(true)
  })

  it("is false with a text, or several values of a column", () => {
    expect(inIndexOrder({ q: "jane" })).toBe(false)
    expect(inIndexOrder({ customer_id: ["cus_1", "cus_2"] })).toBe(false)
    expect(inIndexOrder({ action: ["order_placed", "session_started"], user_id: "user_1" })).toBe(false)
  })
})
