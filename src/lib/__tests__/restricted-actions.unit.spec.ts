import http from "http"
import type { AddressInfo } from "net"
import path from "path"
import express from "express"
import { isMutating, sameEmail } from "../policy"
import { emptyRouteFacts, ROUTE_RULES, routeMatcher, RouteFacts } from "../restricted-actions"

/** Express's own path compiler (the one its router uses). */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const expressPathToRegexp = require(require.resolve("path-to-regexp", { paths: [path.dirname(require.resolve("express"))] }))

/**
 * The rules hung on an Express app the way Medusa hangs middlewares
 * (`app[method](matcher, handler)`), answering with the facts they gathered:
 * Express decides which rules a request reaches.
 */
function rulesApp() {
  const app = express()
  app.use(express.json())
  app.use((req, _res, next) => {
    ;(req as any).facts = emptyRouteFacts()
    next()
  })
  for (const rule of ROUTE_RULES) {
    for (const method of rule.methods) {
      ;(app as any)[method.toLowerCase()](routeMatcher(rule.route, { prefix: rule.prefix }), (req: any, _res: unknown, next: () => void) => {
        const params = Object.keys(req.params).sort().map((key) => req.params[key])
        rule.apply(req.facts, params, req.body)
        next()
      })
    }
  }
  app.use((req, res) => res.json((req as any).facts))
  return app
}

describe("route rules", () => {
  let server: http.Server
  let port: number
  beforeAll(async () => {
    server = rulesApp().listen(0)
    await new Promise((resolve) => server.once("listening", resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise((resolve) => server.close(resolve)))

  const factsFor = (method: string, target: string, body: unknown = {}) =>
    new Promise<RouteFacts>((resolve, reject) => {
      const payload = JSON.stringify(body)
      const request = http.request(
        { port, method, path: target, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
        (response) => {
          let text = ""
          response.on("data", (chunk) => (text += chunk))
          response.on("end", () => resolve(JSON.parse(text)))
        }
      )
      request.on("error", reject)
      request.end(payload)
    })

  it.each([
    ["POST", "/store/customers/me", { email: "x@example.com" }, ["change_email", "update_profile"]],
    ["POST", "/store/customers/me", { first_name: "Jane" }, ["update_profile"]],
    ["POST", "/STORE/Customers/ME", { email: "x@example.com" }, ["change_email", "update_profile"]],
    ["POST", "/store/customers/me/", { first_name: "Jane" }, ["update_profile"]],
    ["POST", "/auth/customer/emailpass/update", {}, ["change_password", "manage_auth_identities"]],
    ["POST", "/auth/customer/emailpass/reset-password", {}, ["change_password", "manage_auth_identities"]],
    ["POST", "/auth/customer/emailpass/register", {}, ["manage_auth_identities"]],
    ["POST", "/auth/customer/emailpass", {}, ["manage_auth_identities"]],
    ["POST", "/store/customers/me/remote-assistance", { allowed: false }, ["change_remote_assistance"]],
    ["POST", "/store/customers/me/addresses", {}, ["manage_addresses"]],
    ["DELETE", "/store/customers/me/addresses/caddr_1", {}, ["manage_addresses"]],
    ["POST", "/store/carts/cart_1/complete", {}, ["place_order"]],
    ["GET", "/store/customers/me", {}, []],
    ["GET", "/store/customers/me/addresses", {}, []],
    ["POST", "/store/carts", {}, []],
    ["POST", "/store/carts/cart_1/line-items", {}, []],
    ["POST", "/auth/user/emailpass/update", {}, []],
  ])("%s %s %j → %j", async (method, target, body, expected) => {
    expect((await factsFor(method, target, body)).actions.sort()).toEqual([...expected].sort())
  })

  it("knows the always-refused routes, the cart a request changes (decoded as Express decodes it), new carts, cart emails and the end of the session", async () => {
    expect(await factsFor("POST", "/auth/session")).toMatchObject({ always_refused: true })
    expect(await factsFor("DELETE", "/auth/session")).toMatchObject({ always_refused: true })
    expect(await factsFor("POST", "/auth/token/refresh")).toMatchObject({ always_refused: true })
    expect(await factsFor("POST", "/store/carts/cart_1/customer")).toMatchObject({ always_refused: true, cart_id: "cart_1" })
    expect(await factsFor("GET", "/auth/session")).toMatchObject({ always_refused: false })
    expect(await factsFor("POST", "/store/carts/cart_1/line-items/li_1")).toMatchObject({ cart_id: "cart_1", creates_cart: false })
    expect(await factsFor("POST", "/store/carts/cart%201")).toMatchObject({ cart_id: "cart 1" })
    expect(await factsFor("DELETE", "/store/carts/cart_1/promotions")).toMatchObject({ cart_id: "cart_1" })
    // A read names its cart too (a foreign cart is not the session's to read).
    expect(await factsFor("GET", "/store/carts/cart_1")).toMatchObject({ cart_id: "cart_1", always_refused: false })
    expect(await factsFor("POST", "/store/carts", { email: "a@example.com" })).toMatchObject({ creates_cart: true, cart_id: null, cart_email: { value: "a@example.com" } })
    expect(await factsFor("POST", "/store/carts/cart_1", { email: null })).toMatchObject({ cart_id: "cart_1", cart_email: { value: null } })
    expect(await factsFor("POST", "/store/carts/cart_1", { metadata: {} })).toMatchObject({ cart_email: null })
    expect(await factsFor("POST", "/store/carts/cart_1/line-items", { email: "a@example.com" })).toMatchObject({ cart_email: null })
    expect(await factsFor("DELETE", "/store/login-as-customer/session")).toMatchObject({ ends_session: true })
    expect(await factsFor("POST", "/store/login-as-customer/session")).toMatchObject({ ends_session: false })
  })

  it("knows the carts named another way than by the path, and the auth identity routes refused while impersonating", async () => {
    expect(await factsFor("POST", "/store/payment-collections", { cart_id: "cart_1" })).toMatchObject({ cart_id: "cart_1", cart_read_only: false })
    expect(await factsFor("POST", "/store/payment-collections", { cart_id: 7 })).toMatchObject({ cart_id: null })
    expect(await factsFor("POST", "/store/payment-collections/pay_col_1/payment-sessions")).toMatchObject({ payment_collection_id: "pay_col_1", cart_id: null })
    expect(await factsFor("POST", "/store/shipping-options/so_1/calculate", { cart_id: "cart_1" })).toMatchObject({ cart_id: "cart_1", cart_read_only: true })
    expect(await factsFor("GET", "/store/payment-collections/pay_col_1")).toMatchObject({ payment_collection_id: null })
    for (const path of ["/auth/verification/request", "/auth/verification/confirm", "/auth/mfa/factors", "/auth/mfa/factors/f_1/verify"]) {
      expect(await factsFor("POST", path)).toMatchObject({ always_refused: true })
    }
    for (const [method, path] of [["GET", "/auth/mfa/factors"], ["DELETE", "/auth/mfa/factors/f_1"], ["POST", "/store/orders/order_1/transfer/request"], ["POST", "/store/orders/order_1/transfer/accept"]]) {
      expect(await factsFor(method, path)).toMatchObject({ always_refused: true })
    }
    expect(await factsFor("GET", "/store/orders/order_1")).toMatchObject({ always_refused: false })
  })

  it("compiles every rule's route exactly as Express compiles a route (and app.use a prefix)", () => {
    for (const rule of ROUTE_RULES) {
      const ours = routeMatcher(rule.route, { prefix: rule.prefix })
      const express = expressPathToRegexp(rule.route, [], { sensitive: false, strict: false, end: !rule.prefix })
      expect({ route: rule.route, source: ours.source, flags: ours.flags }).toEqual({ route: rule.route, source: express.source, flags: express.flags })
    }
  })

  it("does not read a field from the prototype chain", () => {
    const facts = emptyRouteFacts()
    const body = Object.create({ email: "inherited@example.com" })
    for (const rule of ROUTE_RULES.filter((r) => r.route === "/store/customers/me" || r.route === "/store/carts/:id")) {
      rule.apply(facts, ["cart_1"], body)
    }
    expect({ actions: facts.actions, cart_email: facts.cart_email }).toEqual({ actions: ["update_profile"], cart_email: null })
  })

  it("compares emails without case or surrounding spaces, and only strings", () => {
    expect(sameEmail(" Jane@Example.com ", "jane@example.com")).toBe(true)
    expect(sameEmail("jane@example.com", "jane@example.org")).toBe(false)
    expect(sameEmail(null, "jane@example.com")).toBe(false)
    expect(sameEmail(undefined, undefined)).toBe(false)
  })

  it("knows which methods change state", () => {
    expect(["POST", "PUT", "PATCH", "DELETE", "post"].every(isMutating)).toBe(true)
    expect(["GET", "HEAD", "OPTIONS"].some(isMutating)).toBe(false)
  })
})
