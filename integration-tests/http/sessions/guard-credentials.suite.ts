import type { SuiteContext } from "../../helpers/suite"
import { Modules } from "@medusajs/framework/utils"
import { impersonate, logRows, refusal, saveSettings, setupStore, Store } from "../../helpers/fixtures"
import { setupCatalog } from "../../helpers/checkout"
import { PASSWORD } from "../../helpers/seed"

export default function guardCredentialsSuite({ api, getContainer }: SuiteContext) {
  const expectCode = async (request: Promise<any>, status: number, code: string) => {
    const response = await refusal(request)
    expect({ status: response.status, code: response.data.code }).toEqual({ status, code })
    return response
  }

  /** A customer's own cookie session, made from a fresh login. */
  const cookieOf = async (email: string) => {
    const login = await api.post(`/auth/customer/emailpass`, { email, password: PASSWORD })
    const session = await api.post("/auth/session", {}, { headers: { authorization: `Bearer ${login.data.token}` } })
    const cookie = String(session.headers["set-cookie"]?.[0] ?? "").split(";")[0]
    expect(cookie).toMatch(/^connect\.sid=/)
    return cookie
  }

  describe("a cookie session and an impersonation token on one request", () => {
    it("refuses POST /auth/session and /auth/token/refresh when either credential is an impersonation; the cookie stays the customer's own", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const janeCookie = await cookieOf(store.jane.email)
      const johnCookie = await cookieOf(store.john.email)
      const imp = await impersonate(api as never, store)

      for (const cookie of [janeCookie, johnCookie]) {
        const both = { headers: { cookie, authorization: `Bearer ${imp.token}` } }
        const session = await expectCode(api.post("/auth/session", {}, both), 403, "restricted_while_impersonating")
        expect(session.headers["set-cookie"]).toBeUndefined()
        const refreshed = await expectCode(api.post("/auth/token/refresh", {}, both), 403, "restricted_while_impersonating")
        expect(refreshed.data.token).toBeUndefined()
      }

      // Each cookie is still its customer's own session, not an impersonation.
      for (const [cookie, customer] of [[janeCookie, store.jane], [johnCookie, store.john]] as const) {
        const headers = { headers: { cookie, "x-publishable-api-key": store.publishableKey } }
        const me = await api.get("/store/customers/me", headers)
        expect(me.data.customer.id).toBe(customer.id)
        expect(String(me.headers["cache-control"] ?? "")).not.toMatch(/no-store/)
        expect((await api.get("/store/login-as-customer/session", headers)).data).toEqual({ session: null })
      }
      // The refusals are on the session's record.
      const refused = await logRows(container, "store_action", { session_id: imp.session.id })
      expect(refused.map((row) => [row.details.path, row.details.outcome])).toEqual([
        ["/auth/session", "refused"],
        ["/auth/token/refresh", "refused"],
        ["/auth/session", "refused"],
        ["/auth/token/refresh", "refused"],
      ])

      // The customer's own cookie with her own token: both routes still work.
      const own = { headers: { cookie: janeCookie, authorization: `Bearer ${store.jane.token}` } }
      expect((await api.post("/auth/session", {}, own)).status).toBe(200)
      expect(typeof (await api.post("/auth/token/refresh", {}, own)).data.token).toBe("string")
    })

    it("refuses them too when the impersonation token's session has ended (401 impersonation_ended), without touching the cookie", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const janeCookie = await cookieOf(store.jane.email)
      const imp = await impersonate(api as never, store)
      await api.delete("/store/login-as-customer/session", imp.headers)
      const both = { headers: { cookie: janeCookie, authorization: `Bearer ${imp.token}` } }
      await expectCode(api.post("/auth/session", {}, both), 401, "impersonation_ended")
      const me = await api.get("/store/customers/me", { headers: { cookie: janeCookie, "x-publishable-api-key": store.publishableKey } })
      expect(me.data.customer.id).toBe(store.jane.id)
    })
  })

  describe("the cart's contact email is the customer's email (change_email)", () => {
    const janesCart = async (store: Store) => {
      const catalog = await setupCatalog(getContainer(), store.publishableKey)
      const { data } = await api.post("/store/carts", { region_id: catalog.region.id }, store.jane.headers)
      return { catalog, cartId: data.cart.id as string }
    }
    const cartEmail = async (cartId: string) => (await getContainer().resolve(Modules.CART).retrieveCart(cartId)).email

    it("refuses setting another address on the cart (403 restricted_while_impersonating, logged), at creation too; the customer's own address is allowed", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const { catalog, cartId } = await janesCart(store)
      expect(await cartEmail(cartId)).toBe(store.jane.email)
      const imp = await impersonate(api as never, store)

      await expectCode(api.post(`/store/carts/${cartId}`, { email: "mallory@example.com" }, imp.headers), 403, "restricted_while_impersonating")
      expect(await cartEmail(cartId)).toBe(store.jane.email)
      // Not even together with other changes.
      await expectCode(
        api.post(`/store/carts/${cartId}`, { email: "mallory@example.com", metadata: { gift: true } }, imp.headers),
        403,
        "restricted_while_impersonating"
      )
      // A new cart made with another address.
      const before = await container.resolve(Modules.CART).listCarts({}, { select: ["id"] })
      await expectCode(
        api.post("/store/carts", { region_id: catalog.region.id, email: "mallory@example.com" }, imp.headers),
        403,
        "restricted_while_impersonating"
      )
      expect(await container.resolve(Modules.CART).listCarts({}, { select: ["id"] })).toHaveLength(before.length)

      // The customer's own address (as a storefront's checkout sends it) goes through.
      const same = await api.post(`/store/carts/${cartId}`, { email: store.jane.email.toUpperCase() }, imp.headers)
      expect(same.status).toBe(200)
      const made = await api.post("/store/carts", { region_id: catalog.region.id, email: store.jane.email }, imp.headers)
      expect(made.data.cart).toMatchObject({ customer_id: store.jane.id, email: store.jane.email })

      const refused = (await logRows(container, "store_action", { session_id: imp.session.id })).filter((row) => row.details.outcome === "refused")
      expect(refused.map((row) => [row.details.path, row.details.code])).toEqual([
        [`/store/carts/${cartId}`, "restricted_while_impersonating"],
        [`/store/carts/${cartId}`, "restricted_while_impersonating"],
        ["/store/carts", "restricted_while_impersonating"],
      ])
    })

    it("allows it when change_email is not restricted", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      await saveSettings(api as never, store, { restricted_actions: ["change_password"] })
      const { cartId } = await janesCart(store)
      const imp = await impersonate(api as never, store)
      const changed = await api.post(`/store/carts/${cartId}`, { email: "jane.work@example.com" }, imp.headers)
      expect(changed.status).toBe(200)
      expect(await cartEmail(cartId)).toBe("jane.work@example.com")
    })
  })
}
