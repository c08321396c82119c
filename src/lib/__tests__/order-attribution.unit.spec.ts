import { attributedSession, CartAct } from "../order-attribution"

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
const act = (overrides: Partial<CartAct> = {}): CartAct => ({ session_id: "lacs_1", acted_at: at(10), ...overrides })

describe("attributedSession", () => {
  it("attributes an order to the session that acted on its cart", () => {
    expect(attributedSession({ order_customer_id: "cus_1", acts: [act()], sessions: [session()] })?.session.id).toBe("lacs_1")
  })

  it.each([
    ["no act", { acts: [] }],
    ["no session row", { sessions: [] }],
    ["no order customer (guest order)", { order_customer_id: null }],
    ["another customer's order", { order_customer_id: "cus_2" }],
    ["an act from before the start", { acts: [act({ acted_at: new Date(at(0).getTime() - 1) })] }],
    ["an act from over a minute after the end", { sessions: [session({ ended_at: at(20) })], acts: [act({ acted_at: at(21) + "" === "" ? at(21) : new Date(at(21).getTime() + 1) })] }],
    ["an act from over a minute after the expiry", { acts: [act({ acted_at: new Date(at(61).getTime() + 1) })] }],
    ["a session that never started", { sessions: [session({ started_at: null })] }],
    ["an act without a time", { acts: [act({ acted_at: "not a date" })] }],
  ])("attributes nothing for %s", (_name, overrides) => {
    const input = { order_customer_id: "cus_1", acts: [act()], sessions: [session()], ...overrides } as Parameters<typeof attributedSession>[0]
    expect(attributedSession(input)).toBeNull()
  })

  it("keeps the attribution after the session ended, whoever completes the cart; a request in flight at the end counts", () => {
    const ended = session({ ended_at: at(30) })
    expect(attributedSession({ order_customer_id: "cus_1", acts: [act({ acted_at: at(30) })], sessions: [ended] })?.session.id).toBe("lacs_1")
    expect(attributedSession({ order_customer_id: "cus_1", acts: [act({ acted_at: at(31) })], sessions: [ended] })?.session.id).toBe("lacs_1")
  })

  it("takes the session that acted last of several", () => {
    const sessions = [session(), session({ id: "lacs_2", user_id: "user_2" }), session({ id: "lacs_3", customer_id: "cus_2" })]
    const acts = [
      act({ acted_at: at(5) }),
      act({ session_id: "lacs_2", acted_at: at(15) }),
      // Later, but its session is another customer's.
      act({ session_id: "lacs_3", acted_at: at(25) }),
    ]
    expect(attributedSession({ order_customer_id: "cus_1", acts, sessions })?.session.id).toBe("lacs_2")
  })

  it("takes the session that completed the cart, the first of several, over any that acted on it later", () => {
    const sessions = [session(), session({ id: "lacs_2", user_id: "user_2" }), session({ id: "lacs_3", user_id: "user_3" })]
    const acts = [
      act({ acted_at: at(20), completed_at: at(20) }),
      // Acted later (a request on the completed cart) and completed it again: Medusa answers with its order.
      act({ session_id: "lacs_2", acted_at: at(25), completed_at: at(24) }),
      act({ session_id: "lacs_3", acted_at: at(30), completed_at: null }),
    ]
    expect(attributedSession({ order_customer_id: "cus_1", acts, sessions })?.session.id).toBe("lacs_1")
    // A completing session that fails the rules (another customer's) gives way to the next.
    const others = [session({ customer_id: "cus_2" }), sessions[1], sessions[2]]
    expect(attributedSession({ order_customer_id: "cus_1", acts, sessions: others })?.session.id).toBe("lacs_2")
    // None completed it: the one that acted last.
    const none = acts.map((a) => ({ ...a, completed_at: null }))
    expect(attributedSession({ order_customer_id: "cus_1", acts: none, sessions })?.session.id).toBe("lacs_3")
  })
})
