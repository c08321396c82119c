import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import {
  impersonate,
  lacService,
  logRows,
  refusal,
  setupStore,
  Store,
  ticketOf,
} from "../../helpers/fixtures"
import { Actor, createAdmin } from "../../helpers/seed"

const LOG_TABLE = "login_as_customer_log_entry"

/**
 * An admin's logout (`DELETE /auth/session` with the admin's cookie session)
 * ends the Login as Customer sessions that admin has open, as Adobe Commerce
 * does: the storefront tab stops being the customer at its next request.
 */
export default function adminLogoutSuite({ api, getContainer }: SuiteContext) {
  const send = (method: string, url: string, headers: Record<string, string>, data?: unknown) =>
    api.request({ method, url, headers, data, validateStatus: () => true })

  /** The admin logs in as the dashboard does: a token, then a cookie session made from it. */
  const cookieLogin = async (admin: Actor) => {
    const response = await api.post("/auth/session", {}, { headers: { authorization: `Bearer ${admin.token}` } })
    const cookie = String(response.headers["set-cookie"]?.[0] ?? "").split(";")[0]
    expect(cookie).toMatch(/^connect\.sid=/)
    return cookie
  }

  /** Start on the admin's cookie, exchange at the storefront: the storefront's headers. */
  const impersonateWithCookie = async (store: Store, cookie: string, customerId = store.jane.id) => {
    const start = await send("POST", `/admin/customers/${customerId}/login-as-customer`, { cookie }, {})
    expect(start.status).toBe(201)
    const exchanged = await api.post(
      "/store/login-as-customer/sessions",
      { ticket: ticketOf(start.data.redirect_url) },
      { headers: { "x-publishable-api-key": store.publishableKey } }
    )
    return {
      session_id: exchanged.data.session.id as string,
      headers: {
        headers: { "x-publishable-api-key": store.publishableKey, authorization: `Bearer ${exchanged.data.token}` },
      },
    }
  }

  const me = (headers: { headers: Record<string, string> }) => api.get("/store/customers/me", headers)
  const sessionRow = (id: string) => lacService(getContainer()).retrieveLoginAsCustomerSession(id)

  /** A second admin, bob, in session with john (who consents). */
  const bobWithJohn = async (store: Store) => {
    await api.post("/store/customers/me/remote-assistance", { allowed: true }, store.john.headers)
    const bob = await createAdmin(api, getContainer(), "bob@example.com", { first_name: "Bob" })
    const start = await api.post(`/admin/customers/${store.john.id}/login-as-customer`, {}, bob.headers)
    const exchanged = await api.post(
      "/store/login-as-customer/sessions",
      { ticket: ticketOf(start.data.redirect_url) },
      { headers: { "x-publishable-api-key": store.publishableKey } }
    )
    return {
      bob,
      session_id: exchanged.data.session.id as string,
      headers: {
        headers: { "x-publishable-api-key": store.publishableKey, authorization: `Bearer ${exchanged.data.token}` },
      },
    }
  }

  it("ends the admin's active session with admin_logout, on record before the logout answers; other admins' sessions and the customer's own login go on", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const cookie = await cookieLogin(store.admin)
    const mine = await impersonateWithCookie(store, cookie)
    const bobs = await bobWithJohn(store)
    expect((await me(mine.headers)).data.customer.id).toBe(store.jane.id)

    const logout = await send("DELETE", "/auth/session", { cookie })
    expect({ status: logout.status, data: logout.data }).toEqual({ status: 200, data: { success: true } })

    // Read at once, no waiting: the end and its line came before the answer.
    expect(await sessionRow(mine.session_id)).toMatchObject({ end_reason: "admin_logout", ended_at: expect.any(Date) })
    const ended = await logRows(container, "session_ended", { session_id: mine.session_id })
    expect(ended).toHaveLength(1)
    expect(ended[0]).toMatchObject({
      actor_type: "user",
      actor_id: store.admin.id,
      user_id: store.admin.id,
      customer_id: store.jane.id,
      details: expect.objectContaining({ end_reason: "admin_logout" }),
    })

    // The storefront tab is no longer jane.
    const refused = await refusal(me(mine.headers))
    expect({ status: refused.status, code: refused.data.code }).toEqual({ status: 401, code: "impersonation_ended" })
    // The admin is logged out.
    expect((await send("GET", "/admin/users/me", { cookie })).status).toBe(401)

    // Bob's session with john goes on; jane's own login is untouched.
    expect((await me(bobs.headers)).data.customer.id).toBe(store.john.id)
    expect(await sessionRow(bobs.session_id)).toMatchObject({ ended_at: null, end_reason: null })
    expect((await me(store.jane.headers)).data.customer.id).toBe(store.jane.id)
    expect(await logRows(container, "session_ended", { session_id: bobs.session_id })).toEqual([])
  })

  it("ends a pending session too: its ticket can no longer be exchanged", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const cookie = await cookieLogin(store.admin)
    const start = await send("POST", `/admin/customers/${store.jane.id}/login-as-customer`, { cookie }, {})
    expect(start.status).toBe(201)

    expect((await send("DELETE", "/auth/session", { cookie })).status).toBe(200)

    expect(await sessionRow(start.data.session_id)).toMatchObject({ end_reason: "admin_logout" })
    expect(await logRows(container, "session_ended", { session_id: start.data.session_id })).toHaveLength(1)
    const exchange = await refusal(
      api.post(
        "/store/login-as-customer/sessions",
        { ticket: ticketOf(start.data.redirect_url) },
        { headers: { "x-publishable-api-key": store.publishableKey } }
      )
    )
    expect(exchange.status).toBeGreaterThanOrEqual(400)
    expect(exchange.status).toBeLessThan(500)
  })

  it("a customer's logout, a bearer-only DELETE and an admin logging out with no session open end nothing", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await impersonate(api as never, store)

    // Jane logs out of a cookie session of her own.
    const janeSession = await api.post("/auth/session", {}, { headers: { authorization: `Bearer ${store.jane.token}` } })
    const janeCookie = String(janeSession.headers["set-cookie"]?.[0] ?? "").split(";")[0]
    expect((await send("DELETE", "/auth/session", { cookie: janeCookie })).status).toBe(200)
    // Medusa has no logout for a bearer token: the request is refused and ends nothing.
    expect((await send("DELETE", "/auth/session", { authorization: `Bearer ${store.admin.token}` })).status).toBe(401)
    // Another admin, with nothing open, logs out.
    const carol = await createAdmin(api, container, "carol@example.com")
    expect((await send("DELETE", "/auth/session", { cookie: await cookieLogin(carol) })).status).toBe(200)

    expect((await me(imp.headers)).data.customer.id).toBe(store.jane.id)
    expect(await sessionRow(imp.session.id)).toMatchObject({ ended_at: null })
    expect(await logRows(container, "session_ended")).toEqual([])
  })

  describe("with the log unavailable", () => {
    const knex = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const blockLog = async () => {
      await knex().raw(`create or replace function lac_test_refuse_insert() returns trigger language plpgsql as $$
          begin raise exception 'the log is unavailable'; end $$`)
      await knex().raw(`create trigger lac_test_refuse_insert before insert on ${LOG_TABLE} for each row execute function lac_test_refuse_insert()`)
    }
    const unblockLog = () => knex().raw(`drop trigger if exists lac_test_refuse_insert on ${LOG_TABLE}`)

    afterEach(async () => {
      await unblockLog()
    })

    it("holds the logout's answer until the end is on record, retrying while the log refuses writes", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const cookie = await cookieLogin(store.admin)
      const mine = await impersonateWithCookie(store, cookie)

      await blockLog()
      let answered = false
      const logout = send("DELETE", "/auth/session", { cookie }).then((response) => {
        answered = true
        return response
      })
      // The end is made at once; its line is waiting for the log.
      const deadline = Date.now() + 5000
      while (!(await sessionRow(mine.session_id)).ended_at && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(await sessionRow(mine.session_id)).toMatchObject({ end_reason: "admin_logout" })
      expect(answered).toBe(false)
      await unblockLog()

      expect((await logout).status).toBe(200)
      expect(await logRows(container, "session_ended", { session_id: mine.session_id })).toHaveLength(1)
      expect((await refusal(me(mine.headers))).status).toBe(401)
    })

    it("still logs the admin out when the end can't be put on record at all; the session is over all the same", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const cookie = await cookieLogin(store.admin)
      const mine = await impersonateWithCookie(store, cookie)

      await blockLog()
      const logout = await send("DELETE", "/auth/session", { cookie })
      expect(logout.status).toBe(200)
      expect((await send("GET", "/admin/users/me", { cookie })).status).toBe(401)
      expect(await sessionRow(mine.session_id)).toMatchObject({ end_reason: "admin_logout" })
      const refused = await refusal(me(mine.headers))
      expect({ status: refused.status, code: refused.data.code }).toEqual({ status: 401, code: "impersonation_ended" })
    })
  })
}
