import { isMutating, matchRestrictedActions, normalizePath } from "../restricted-actions"

describe("restricted actions", () => {
  it.each([
    ["POST", "/store/customers/me", { email: "x@example.com" }, ["change_email", "update_profile"]],
    ["POST", "/store/customers/me", { first_name: "Jane" }, ["update_profile"]],
    ["POST", "/STORE/Customers/ME", { email: "x@example.com" }, ["change_email", "update_profile"]],
    ["POST", "/auth/customer/emailpass/update", {}, ["change_password", "manage_auth_identities"]],
    ["POST", "/auth/customer/emailpass/reset-password", {}, ["change_password", "manage_auth_identities"]],
    ["POST", "/auth/customer/emailpass/register", {}, ["manage_auth_identities"]],
    ["POST", "/store/customers/me/remote-assistance", { allowed: false }, ["change_remote_assistance"]],
    ["POST", "/store/customers/me/addresses", {}, ["manage_addresses"]],
    ["DELETE", "/store/customers/me/addresses/caddr_1", {}, ["manage_addresses"]],
    ["POST", "/store/carts/cart_1/complete", {}, ["place_order"]],
    ["GET", "/store/customers/me", {}, []],
    ["GET", "/store/customers/me/addresses", {}, []],
    ["POST", "/store/carts", {}, []],
    ["POST", "/store/carts/cart_1/line-items", {}, []],
  ])("%s %s %j → %j", (method, path, body, expected) => {
    expect(matchRestrictedActions(method, path, body).sort()).toEqual([...expected].sort())
  })

  it("does not read a field from the prototype chain", () => {
    const body = Object.create({ email: "inherited@example.com" })
    expect(matchRestrictedActions("POST", "/store/customers/me", body)).toEqual(["update_profile"])
  })

  it("normalizes paths the way routes match them", () => {
    expect(normalizePath("/store//customers/me/?fields=*")).toBe("/store/customers/me")
    expect(normalizePath("/store/customers/me#x")).toBe("/store/customers/me")
    expect(normalizePath("/")).toBe("/")
  })

  it("knows which methods change state", () => {
    expect(["POST", "PUT", "PATCH", "DELETE", "post"].every(isMutating)).toBe(true)
    expect(["GET", "HEAD", "OPTIONS"].some(isMutating)).toBe(false)
  })
})
