import { attributedSession, SessionCartRecord } from "../order-attribution"

const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 12, minute))
const session = (overrides: Record<string, unknown> = {}) => ({
  id: "lacs_1",
  user_id: "user_1",
  customer_id: "cus_1",
  started_at: at(0),
  expires_at: at(60),
  ended_at: null as Date | null,
  ...overrides,
})
const record = (overrides: Partial<SessionCartRecord> = {}): SessionCartRecord => ({
  session_id: "lacs_1",
  cart_id: "cart_1",
  customer_id: "cus_1",
  user_id: "user_1",
  created_at: at(10),
  ...overrides,
})

describe("attributedSession", () => {
  it("attributes an order to the session that changed its cart", () => {
    expect(attributedSession({ order_customer_id: "cus_1", records: [record()], sessions: [session()] })?.session.id).toBe("lacs_1")
  })

  it.each([
    ["no record", { records: [] }],
    ["no session row", { sessions: [] }],
    ["no order customer (guest order)", { order_customer_id: null }],
    ["another customer's order", { order_customer_id: "cus_2" }],
    ["a record naming another customer", { records: [record({ customer_id: "cus_2" })] }],
    ["a record naming another admin", { records: [record({ user_id: "user_2" })] }],
    ["a record from before the start", { records: [record({ created_at: new Date(at(0).getTime() - 1) })] }],
    ["a record from after the end", { sessions: [session({ ended_at: at(20) })], records: [record({ created_at: at(21) })] }],
    ["a record from after the expiry", { records: [record({ created_at: at(61) })] }],
    ["a session that never started", { sessions: [session({ started_at: null })] }],
    ["a record without a time", { records: [record({ created_at: "not a date" })] }],
  ])("attributes nothing for %s", (_name, overrides) => {
    const input = { order_customer_id: "cus_1", records: [record()], sessions: [session()], ...overrides } as Parameters<typeof attributedSession>[0]
    expect(attributedSession(input)).toBeNull()
  })

  it("keeps the attribution after the session ended, whoever completes the cart", () => {
    const ended = session({ ended_at: at(30) })
    expect(attributedSession({ order_customer_id: "cus_1", records: [record({ created_at: at(30) })], sessions: [ended] })?.session.id).toBe("lacs_1")
  })

  it("takes the latest valid record of several", () => {
    const sessions = [session(), session({ id: "lacs_2", user_id: "user_2" }), session({ id: "lacs_3", customer_id: "cus_2" })]
    const records = [
      record({ created_at: at(5) }),
      record({ session_id: "lacs_2", user_id: "user_2", created_at: at(15) }),
      // Later, but its session is another customer's.
      record({ session_id: "lacs_3", created_at: at(25) }),
    ]
    expect(attributedSession({ order_customer_id: "cus_1", records, sessions })?.session.id).toBe("lacs_2")
  })

  it("takes the session that completed the cart, the first of several, over any that acted on it later", () => {
    const sessions = [session(), session({ id: "lacs_2", user_id: "user_2" }), session({ id: "lacs_3", user_id: "user_3" })]
    const records = [
      record({ acted_at: at(20), completed_at: at(20) }),
      // Acted later (a request on the completed cart) and completed it again: Medusa answers with its order.
      record({ session_id: "lacs_2", user_id: "user_2", acted_at: at(25), completed_at: at(24) }),
      record({ session_id: "lacs_3", user_id: "user_3", acted_at: at(30), completed_at: null }),
    ]
    expect(attributedSession({ order_customer_id: "cus_1", records, sessions })?.session.id).toBe("lacs_1")
    // A completing session whose record fails the rules gives way to the next.
    const other = [{ ...records[0], customer_id: "cus_2" }, records[1], records[2]]
    expect(attributedSession({ order_customer_id: "cus_1", records: other, sessions })?.session.id).toBe("lacs_2")
    // None completed it: the one that acted last.
    const none = records.map((r) => ({ ...r, completed_at: null }))
    expect(attributedSession({ order_customer_id: "cus_1", records: none, sessions })?.session.id).toBe("lacs_3")
  })
})
