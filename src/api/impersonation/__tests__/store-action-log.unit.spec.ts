import { loggedPath } from "../store-action-log"

describe("loggedPath", () => {
  it("keeps the ids and lower-case names a route's parameters hold, and the literal segments", () => {
    expect(loggedPath("/auth/customer/emailpass/reset-password", "/auth/customer/:auth_provider/reset-password")).toBe(
      "/auth/customer/emailpass/reset-password"
    )
    expect(loggedPath("/store/carts/cart_01J0000000000000000000000A/line-items/cali_01J0000000000000000000000B", "/store/carts/:id/line-items/:line_id")).toBe(
      "/store/carts/cart_01J0000000000000000000000A/line-items/cali_01J0000000000000000000000B"
    )
    expect(loggedPath("/store/customers/me", "/store/customers/me")).toBe("/store/customers/me")
  })

  it("puts the parameter's name for a parameter's text that is no id", () => {
    expect(loggedPath("/store/customers/me/addresses/PRIVATE%20TEXT%20jane@x.com", "/store/customers/me/addresses/:address_id")).toBe(
      "/store/customers/me/addresses/:address_id"
    )
    expect(loggedPath("/store/carts/Jane%20Doe/line-items/cali_01J0000000000000000000000B", "/store/carts/:id/line-items/:line_id")).toBe(
      "/store/carts/:id/line-items/cali_01J0000000000000000000000B"
    )
  })

  it("leaves a path without a route pattern (its route is itself) and segments past a prefix rule as they are", () => {
    expect(loggedPath("/store/unknown/text", "/store/unknown/text")).toBe("/store/unknown/text")
    expect(loggedPath("/store/carts/cart_01J0000000000000000000000A/extra/text", "/store/carts/:id")).toBe(
      "/store/carts/cart_01J0000000000000000000000A/extra/text"
    )
  })
})
