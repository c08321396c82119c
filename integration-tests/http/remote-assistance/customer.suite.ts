import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { prepareCart, setupCatalog } from "../../helpers/checkout"
import { ticketOf } from "../../helpers/fixtures"
import {
  createAdmin,
  eventually,
  expectInvalidData,
  refused,
  SETTLE_MS,
  sleep,
  snapshotPluginTables,
} from "../../helpers/seed"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"
import { consentRow, customerFixtures, inDays, ROUTE, settledAssistanceLog } from "./consent-helpers"

/** The customer's consent as the customer sees it: reading it, its history of sessions, changing it. */
export default function customerSuite(context: SuiteContext) {
  const { api, getContainer } = context
  const fx = customerFixtures(context)
  const { registerJohn, bearer } = fx

  describe("GET", () => {
    it("shows a customer who never chose: not allowed, no history, and writes nothing", async () => {
      const container = getContainer()
      const before = await snapshotPluginTables(container)
      const res = await api.get(ROUTE, fx.jane.headers)
      expect(res.status).toBe(200)
      expect(res.data).toEqual({
        remote_assistance: {
          allowed: false,
          expires_at: null,
          active: false,
          updated_by_type: null,
          updated_at: null,
        },
        sessions: [],
        count: 0,
        offset: 0,
        limit: 20,
      })
      await sleep(SETTLE_MS)
      expect(await snapshotPluginTables(container)).toBe(before)
      expect(await consentRow(container, fx.jane.id)).toBeNull()
    })
  })

  describe("GET history", () => {
    /** An admin, the feature on, jane's consent: a helper that runs one assisted session. */
    async function assistJane() {
      const container = getContainer()
      const admin = await createAdmin(api, container)
      await api.post(
        "/admin/login-as-customer/settings",
        {
          enabled: true,
          storefronts: [{ id: "main", name: "Main", login_url: "https://shop.example.com/assist" }],
        },
        admin.headers
      )
      await api.post(ROUTE, { allowed: true }, fx.jane.headers)
      const session = async (body: Record<string, unknown> = {}) => {
        const start = await api.post(`/admin/customers/${fx.jane.id}/login-as-customer`, body, admin.headers)
        const exchanged = await api.post(
          "/store/login-as-customer/sessions",
          { ticket: ticketOf(start.data.redirect_url) },
          { headers: { "x-publishable-api-key": fx.publishableKey } }
        )
        return { id: exchanged.data.session.id as string, token: exchanged.data.token as string }
      }
      const end = (id: string) => api.post(`/admin/login-as-customer/sessions/${id}/end`, {}, admin.headers)
      return { admin, session, end }
    }

    it("pages the history newest first with limit, offset and count", async () => {
      const { session, end } = await assistJane()
      const ids: string[] = []
      for (let i = 0; i < 5; i++) {
        const { id } = await session({ reason: `Ticket ${i}` })
        await end(id)
        ids.unshift(id)
      }
      const first = await api.get(`${ROUTE}?limit=2`, fx.jane.headers)
      expect(first.status).toBe(200)
      expect({ count: first.data.count, offset: first.data.offset, limit: first.data.limit }).toEqual({
        count: 5,
        offset: 0,
        limit: 2,
      })
      expect(first.data.sessions.map((s: { id: string }) => s.id)).toEqual(ids.slice(0, 2))
      const second = await api.get(`${ROUTE}?limit=2&offset=2`, fx.jane.headers)
      expect(second.data.sessions.map((s: { id: string }) => s.id)).toEqual(ids.slice(2, 4))
      const last = await api.get(`${ROUTE}?limit=2&offset=4`, fx.jane.headers)
      expect(last.data).toMatchObject({ count: 5, offset: 4, limit: 2 })
      expect(last.data.sessions.map((s: { id: string }) => s.id)).toEqual(ids.slice(4))
      const beyond = await api.get(`${ROUTE}?offset=10`, fx.jane.headers)
      expect(beyond.data).toMatchObject({ sessions: [], count: 5, offset: 10, limit: 20 })
      // Another customer's history is not hers to page through.
      const john = await registerJohn()
      expect((await api.get(ROUTE, john.headers)).data).toMatchObject({ sessions: [], count: 0 })
    })

    const badQueries: Array<[string, string]> = [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=ten", "limit"],
      ["limit=1.5", "limit"],
      ["offset=-1", "offset"],
      ["offset=abc", "offset"],
      ["limit=1&limit=2", "limit"],
      ["customer_id=cus_other", "customer_id"],
    ]
    it.each(badQueries)("refuses ?%s with 400 naming the field", async (query, field) => {
      const res = await refused(api.get(`${ROUTE}?${query}`, fx.jane.headers))
      expectInvalidData(res, field)
    })

    it("shows the mode, who ended each session, and the orders by the number the customer knows", async () => {
      const container = getContainer()
      const catalog = await setupCatalog(container, fx.publishableKey)
      const { session, end } = await assistJane()

      // Ended by the store, in read-only mode.
      const readOnly = await session({ mode: "read_only", reason: "Look only" })
      await end(readOnly.id)

      // Time ran out: nobody used it after its expiry, then a request meets the guard.
      const lapsed = await session({ reason: "Lapsed" })
      await (container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any).updateLoginAsCustomerSessions({
        id: lapsed.id,
        expires_at: new Date(Date.now() - 1000),
      })
      const beforeGuard = (await api.get(ROUTE, fx.jane.headers)).data.sessions[0]
      expect(beforeGuard).toMatchObject({ id: lapsed.id, ended_at: null, ended_by: "expired" })
      expect((await refused(api.get("/store/customers/me", bearer(lapsed.token)))).data.code).toBe(
        "impersonation_ended"
      )

      // An order placed in the session, then the customer withdraws consent.
      const withOrder = await session({ reason: "Order for jane" })
      const cartId = await prepareCart(api, bearer(withOrder.token), catalog)
      const completed = await api.post(`/store/carts/${cartId}/complete`, {}, bearer(withOrder.token))
      expect(completed.data.type).toBe("order")
      const order = completed.data.order
      await eventually(async () => {
        const { sessions } = (await api.get(ROUTE, fx.jane.headers)).data
        return sessions[0]?.orders?.length > 0
      })
      await api.post(ROUTE, { allowed: false }, fx.jane.headers)

      const { data } = await api.get(ROUTE, fx.jane.headers)
      expect(data.count).toBe(3)
      const [ordered, expired, ended] = data.sessions
      expect(ordered).toMatchObject({
        id: withOrder.id,
        mode: "full",
        reason: "Order for jane",
        end_reason: "consent_withdrawn",
        ended_by: "customer",
        order_ids: [order.id],
        orders: [{ id: order.id, display_id: order.display_id }],
      })
      expect(typeof order.display_id).toBe("number")
      expect(expired).toMatchObject({ id: lapsed.id, end_reason: "expired", ended_by: "expired", orders: [] })
      expect(expired.ended_at).not.toBeNull()
      expect(ended).toMatchObject({
        id: readOnly.id,
        mode: "read_only",
        end_reason: "ended_by_admin",
        ended_by: "store",
        admin: { first_name: "Ada" },
      })
    })

    it("still answers 200 and lists her sessions when one of her order_placed lines was inserted nested 5 000 levels deep", async () => {
      const container = getContainer()
      const { session, end } = await assistJane()
      const first = await session({ reason: "First" })
      await end(first.id)
      const second = await session({ reason: "Second" })
      await end(second.id)
      await container.resolve(ContainerRegistrationKeys.PG_CONNECTION).raw(
        `insert into login_as_customer_log_entry (id, action, actor_type, customer_id, session_id, details, created_at)
         values ('lacl_deep_order', 'order_placed', 'user', ?, ?,
                 ('{"order_id":"order_x","deep":' || repeat('[', 5000) || repeat(']', 5000) || '}')::jsonb, now())`,
        [fx.jane.id, second.id]
      )

      const res = await api.get(ROUTE, fx.jane.headers)
      expect(res.status).toBe(200)
      expect(res.data.count).toBe(2)
      // The deep line's details come back cut: no order named.
      expect(res.data.sessions).toEqual([
        expect.objectContaining({ id: second.id, reason: "Second", ended_by: "store", order_ids: [], orders: [] }),
        expect.objectContaining({ id: first.id, reason: "First", ended_by: "store", order_ids: [], orders: [] }),
      ])
    })

    it("still answers 200 when one of her session rows has a context SQL nested 5 000 levels deep", async () => {
      const container = getContainer()
      const { session, end } = await assistJane()
      const first = await session({ reason: "First" })
      await end(first.id)
      await container
        .resolve(ContainerRegistrationKeys.PG_CONNECTION)
        .raw(`update login_as_customer_session set context = (repeat('[', 5000) || repeat(']', 5000))::jsonb where id = ?`, [first.id])

      const res = await api.get(ROUTE, fx.jane.headers)
      expect(res.status).toBe(200)
      expect(res.data.sessions).toEqual([expect.objectContaining({ id: first.id, reason: "First", ended_by: "store" })])
    })

    it("shows the admin, reason and mode the session's ticket_issued line records, not those its row was changed to by SQL", async () => {
      const container = getContainer()
      const { session, end } = await assistJane()
      const bob = await createAdmin(api, container, "bob@example.com", { first_name: "Bob" })
      const helped = await session({ reason: "Check my address" })
      await end(helped.id)
      await container.resolve(ContainerRegistrationKeys.PG_CONNECTION).raw(
        `update login_as_customer_session set reason = 'You asked us to order 3 more items', mode = 'read_only', user_id = ? where id = ?`,
        [bob.id, helped.id]
      )

      const { data } = await api.get(ROUTE, fx.jane.headers)
      expect(data.count).toBe(1)
      expect(data.sessions).toEqual([
        expect.objectContaining({ id: helped.id, admin: { first_name: "Ada" }, reason: "Check my address", mode: "full" }),
      ])
    })
  })

  describe("POST", () => {
    it("gives consent with a future expires_at, and GET shows it", async () => {
      const expiresAt = inDays(7)
      const res = await api.post(ROUTE, { allowed: true, expires_at: expiresAt }, fx.jane.headers)
      expect(res.status).toBe(200)
      expect(res.data).toEqual({
        remote_assistance: {
          allowed: true,
          expires_at: expiresAt,
          active: true,
          updated_by_type: "customer",
          updated_at: expect.any(String),
        },
      })
      expect(Number.isNaN(Date.parse(res.data.remote_assistance.updated_at))).toBe(false)

      const read = await api.get(ROUTE, fx.jane.headers)
      expect(read.data.remote_assistance).toEqual(res.data.remote_assistance)
      expect(read.data.sessions).toEqual([])

      const row = await consentRow(getContainer(), fx.jane.id)
      expect(row).toMatchObject({
        customer_id: fx.jane.id,
        allowed: true,
        updated_by_type: "customer",
        updated_by_id: fx.jane.id,
      })
      expect(new Date(row.expires_at).toISOString()).toBe(expiresAt)
    })

    it("gives open-ended consent when expires_at is left out or null", async () => {
      const res = await api.post(ROUTE, { allowed: true }, fx.jane.headers)
      expect(res.data.remote_assistance).toMatchObject({ allowed: true, expires_at: null, active: true })
      const again = await api.post(ROUTE, { allowed: true, expires_at: null }, fx.jane.headers)
      expect(again.data.remote_assistance).toMatchObject({ allowed: true, expires_at: null, active: true })
    })

    it("withdrawing consent clears expires_at", async () => {
      await api.post(ROUTE, { allowed: true, expires_at: inDays(3) }, fx.jane.headers)
      const res = await api.post(ROUTE, { allowed: false }, fx.jane.headers)
      expect(res.status).toBe(200)
      expect(res.data.remote_assistance).toMatchObject({
        allowed: false,
        expires_at: null,
        active: false,
        updated_by_type: "customer",
      })
      const read = await api.get(ROUTE, fx.jane.headers)
      expect(read.data.remote_assistance).toMatchObject({ allowed: false, expires_at: null })
      const row = await consentRow(getContainer(), fx.jane.id)
      expect(row).toMatchObject({ allowed: false, expires_at: null })
    })

    it("logs each change exactly once, with the customer as actor and what it was before", async () => {
      const container = getContainer()
      const expiresAt = inDays(2)
      await api.post(ROUTE, { allowed: true, expires_at: expiresAt }, fx.jane.headers)
      const [first] = await settledAssistanceLog(container, fx.jane.id, 1).then((rows) => {
        expect(rows).toHaveLength(1)
        return rows
      })
      expect(first).toMatchObject({
        action: "assistance_updated",
        actor_type: "customer",
        actor_id: fx.jane.id,
        user_id: null,
        user_email: null,
        customer_id: fx.jane.id,
        customer_email: "jane@example.com",
        session_id: null,
        details: { allowed: true, expires_at: expiresAt, previous: null, changed_by: "customer" },
      })

      await api.post(ROUTE, { allowed: false }, fx.jane.headers)
      const rows = await settledAssistanceLog(container, fx.jane.id, 2)
      expect(rows).toHaveLength(2)
      expect(rows[1]).toMatchObject({
        actor_type: "customer",
        actor_id: fx.jane.id,
        customer_email: "jane@example.com",
        details: {
          allowed: false,
          expires_at: null,
          previous: { allowed: true, expires_at: expiresAt },
          changed_by: "customer",
        },
      })
    })
  })

}
