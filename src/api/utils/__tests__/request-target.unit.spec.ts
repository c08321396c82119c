import { requestTargetProblem, routedPath } from "../request-target"

describe("request targets", () => {
  it.each([
    "/store/customers/me",
    "/store/customers/me/",
    "/STORE/Customers/ME",
    "/store/carts/cart_01J/line-items?fields=*items",
    "/store/products?q=a\\b/../c",
    "/store/products/prod_1?q=%C3%A9&x=%2F",
    "/store/products/caf%C3%A9",
    "/store/products/a%20b",
    "/store/products/%25",
    "http://localhost:9000/store/carts/cart_1/customer",
    "https://evil.example.com/store/carts/cart_1/customer?x=1",
    "ftp://user:pw@other.example:21/auth/session",
    "HTTP://LOCALHOST/store",
  ])("lets %s through", (target) => {
    expect(requestTargetProblem(target)).toBeNull()
  })

  it.each([
    ["/store\\carts\\cart_1\\customer#", /fragment/],
    ["/store\\carts\\cart_1\\customer", /backslash/],
    ["http://h/store\\carts", /backslash/],
    ["http://h\\store/carts", /start with \//],
    ["http:/store/carts", /start with \//],
    ["store/carts", /start with \//],
    ["/store/carts#x", /fragment/],
    ["/store/carts?#", /fragment/],
    ["/store/carts/cart_1%2Fcustomer", /"\/"/],
    ["/store/carts/cart_1%2fcustomer", /"\/"/],
    ["/store/carts/cart_1%5Ccustomer", /"\\\\"/],
    ["/store/carts/%2E/x", /"\."/],
    ["/store/carts/%2e%2e/x", /"\."/],
    ["/store/%63arts", /"c"/],
    ["/store/carts%3Bx", /";"/],
    ["/store/carts%3Fx", /"\?"/],
    ["/store/carts%23x", /"#"/],
    ["/store/carts/cart_1%00", /"\\u0000"/],
    ["/store/carts/%7E", /"~"/],
    ["/store/carts/%ZZ", /percent-encoding/],
    ["/store/carts/%", /percent-encoding/],
    ["/store/carts/./x", /dot segment/],
    ["/store/carts/x/../y", /dot segment/],
    ["/store/carts/..", /dot segment/],
    ["/store//carts", /empty segment/],
    ["/store/carts//", /empty segment/],
    ["/store/carts;x=1", /semicolon/],
    ["/store/carts\t", /space, a control/],
    ["/store/carts\u00a0", /space, a control/],
    ["/store/carts/é", /space, a control/],
  ])("refuses %j", (target, reason) => {
    expect(requestTargetProblem(target)).toMatch(reason)
  })

  it("gives the path Express routes on", () => {
    expect(routedPath("/store/customers/me?fields=id")).toBe("/store/customers/me")
    expect(routedPath("http://localhost:9000/store/carts/cart_1/customer?x")).toBe("/store/carts/cart_1/customer")
    expect(routedPath("ftp://user:pw@other.example:21/auth/session")).toBe("/auth/session")
    expect(routedPath("http://localhost:9000")).toBe("/")
  })
})
