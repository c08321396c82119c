import { createHash, randomBytes } from "crypto"
import { LoginAsCustomerEvents } from "../../../src/types"
import { toSessionEvent } from "../../../src/workflows/session/events"
import { logEntriesForEvent } from "../../../src/workflows/log/log-entries-for-event"
import { writeLogEntries } from "../../../src/workflows/log/write-log-entries"
import { keyedEventId, resolveLogKey } from "../../../src/modules/login-as-customer/log-integrity"
import { prepareCart, setupCatalog } from "../../helpers/checkout"
import { impersonate, setupStore, ticketOf } from "../../helpers/fixtures"
import { createAdmin, eventually, refused } from "../../helpers/seed"
import type { SuiteContext } from "../../helpers/suite"
import { eventIdFixtures, MALLORY } from "./event-ids-helpers"
import { LOG } from "./integrity-helpers"

/**
 * With the log's key, the app writes each event's line under its id keyed
 * with it, and checks a session against its `ticket_issued` line: a line
 * written first under an event's plain id stands beside the app's, and a
 * session's row changed in the database doesn't change what is logged.
 */
export default function eventIdsKeyedSuite(context: SuiteContext) {
  const { knex, service, forge, lines, exchangeTicket, session, placeFramedOrder } = eventIdFixtures(context)
  const { api, getContainer } = context

  describe("with the log's key (event ids keyed with it)", () => {
    const keyed = (eventId: string) => keyedEventId(resolveLogKey()!, eventId)

    it("starts the session and writes the app's own session_started line beside one another admin's written first under the event's plain id", async () => {
      const store = await setupStore(api as never, getContainer())
      const start = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      const sessionId: string = start.data.session_id
      await forge(`session_started:${sessionId}`, "session_started", store.jane.id, sessionId, { storefront_id: "main", mode: "full" })

      const exchange = await api.post(
        "/store/login-as-customer/sessions",
        { ticket: ticketOf(start.data.redirect_url) },
        { headers: { "x-publishable-api-key": store.publishableKey } }
      )
      expect(exchange.status).toBe(201)
      // In id order: the app's own line (`lacl_0…`) first.
      expect(await lines(sessionId, "session_started")).toEqual([
        { id: expect.any(String), user_id: store.admin.id, user_email: store.admin.email, event_id: keyed(`session_started:${sessionId}`) },
        { id: "lacl_FORGED_session_started", ...MALLORY, event_id: `session_started:${sessionId}` },
      ])
      expect(keyed(`session_started:${sessionId}`)).toMatch(new RegExp(`^session_started:${sessionId}#[0-9a-f]{32}$`))
      // A retried write of the event is still its duplicate.
      const event = toSessionEvent("session_started", await service().retrieveLoginAsCustomerSession(sessionId))
      expect(await writeLogEntries(getContainer(), logEntriesForEvent(LoginAsCustomerEvents.SESSION_STARTED, event))).toBe(0)
    })

    it("logs an admin's end of a session whose session_ended line was written first under the plain id, and an order placed in a session whose order_placed line a trigger on the order table wrote first", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const catalog = await setupCatalog(container, store.publishableKey)
      const { headers, session: started } = await impersonate(api as never, store)
      const orderId = await placeFramedOrder(headers, catalog)
      const orderLines = async () =>
        (await knex().raw(`select "user_id", "event_id" from ${LOG} where "action" = 'order_placed' and "details"->>'order_id' = ? order by "event_id"`, [orderId])).rows
      expect(await eventually(async () => ((await orderLines()).length === 2 ? orderLines() : null))).toEqual([
        { user_id: MALLORY.user_id, event_id: `order_placed:${orderId}` },
        { user_id: store.admin.id, event_id: keyed(`order_placed:${orderId}`) },
      ])

      await forge(`session_ended:${started.id}`, "session_ended", store.jane.id, started.id, { end_reason: "logout" })
      const ended = await api.post(`/admin/login-as-customer/sessions/${started.id}/end`, {}, store.admin.headers)
      expect(ended.status).toBe(200)
      expect(await lines(started.id, "session_ended")).toEqual([
        { id: expect.any(String), user_id: store.admin.id, user_email: store.admin.email, event_id: keyed(`session_ended:${started.id}`) },
        { id: "lacl_FORGED_session_ended", ...MALLORY, event_id: `session_ended:${started.id}` },
      ])
    })

    it("does not start a session whose admin was changed in its row while its ticket waited: the ticket_issued line says who", async () => {
      const store = await setupStore(api as never, getContainer())
      await knex().raw(
        `insert into "user" ("id", "email", "first_name", "last_name", "created_at", "updated_at")
         values (?, ?, 'Mallory', 'Other', now(), now()) on conflict do nothing`,
        [MALLORY.user_id, MALLORY.user_email]
      )
      const start = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      const sessionId: string = start.data.session_id
      await knex().raw(`create function "zz_swap_admin"() returns trigger language plpgsql as $$
        begin
          if new.started_at is not null and old.started_at is null then new.user_id := '${MALLORY.user_id}'; end if;
          return new;
        end $$`)
      await knex().raw(`create trigger "zz_swap_admin" before update on "login_as_customer_session" for each row execute function "zz_swap_admin"()`)
      let exchange
      try {
        exchange = await exchangeTicket(start, store)
      } finally {
        await knex().raw(`drop trigger "zz_swap_admin" on "login_as_customer_session"; drop function "zz_swap_admin"()`)
      }
      expect(exchange.status).toBe(500)
      expect(exchange.data.token).toBeUndefined()
      expect(exchange.data.message).toBe(
        `Login as Customer: session ${sessionId} is not as its ticket was issued (user_id differ from its ticket_issued line); it was not started`
      )
      expect(await session(sessionId)).toMatchObject({ started_at: null })
      expect(await lines(sessionId, "session_started")).toEqual([])
    })

    it("does not start a session whose reason was changed in its row while its ticket waited", async () => {
      const store = await setupStore(api as never, getContainer())
      const start = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, { reason: "check order 1001" }, store.admin.headers)
      const sessionId: string = start.data.session_id
      await knex().raw(`update "login_as_customer_session" set "reason" = 'customer asked to change address' where "id" = ?`, [sessionId])
      const exchange = await exchangeTicket(start, store)
      expect(exchange.status).toBe(500)
      expect(exchange.data.message).toBe(
        `Login as Customer: session ${sessionId} is not as its ticket was issued (reason differ from its ticket_issued line); it was not started`
      )
      expect(await lines(sessionId, "session_started")).toEqual([])
    })

    it("logs a session's end with the customer, mode and reason its ticket was issued with, when its row names others since", async () => {
      const store = await setupStore(api as never, getContainer())
      const { session: started } = await impersonate(api as never, store)
      await knex().raw(`update "login_as_customer_session" set "customer_id" = ?, "mode" = 'read_only', "reason" = 'totally different' where "id" = ?`, [
        store.john.id,
        started.id,
      ])
      // A new start supersedes it.
      expect((await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)).status).toBe(201)
      const { rows } = await knex().raw(
        `select "customer_id", "customer_email", "user_id", "details"->>'mode' as "mode", "details"->>'reason' as "reason"
           from ${LOG} where "session_id" = ? and "action" = 'session_ended'`,
        [started.id]
      )
      expect(rows).toEqual([{ customer_id: store.jane.id, customer_email: "jane@example.com", user_id: store.admin.id, mode: "full", reason: null }])
    })

    it("keys a ticket's stored hash with the log's key: a pending ticket's hash replaced by the sha256 of a secret of one's own exchanges nothing", async () => {
      const store = await setupStore(api as never, getContainer())
      const start = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      const sessionId: string = start.data.session_id
      const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex")
      const { rows } = await knex().raw(`select "token_hash" from "login_as_customer_ticket" where "session_id" = ?`, [sessionId])
      expect(rows).toEqual([{ token_hash: expect.stringMatching(/^[0-9a-f]{64}$/) }])
      expect(rows[0].token_hash).not.toBe(sha256(ticketOf(start.data.redirect_url)))

      const mine = randomBytes(32).toString("base64url")
      await knex().raw(`update "login_as_customer_ticket" set "token_hash" = ? where "session_id" = ?`, [sha256(mine), sessionId])
      const exchange = await exchangeTicket({ data: { redirect_url: `https://shop.example.com/account/assist#ticket=${mine}` } }, store)
      expect(exchange.status).toBe(401)
      expect(exchange.data.code).toBe("invalid_ticket")
      expect(await session(sessionId)).toMatchObject({ started_at: null })
    })

    it("binds a ticket to its session: one's own ticket row pointed at another admin's pending session opens nothing", async () => {
      const store = await setupStore(api as never, getContainer())
      const bob = await createAdmin(api as never, getContainer(), "bob@example.com")
      const bobs = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, { reason: "bob helps" }, bob.headers)
      const mine = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      await knex().raw(
        `update "login_as_customer_ticket" t set "session_id" = s."id", "user_id" = s."user_id", "customer_id" = s."customer_id", "storefront_id" = s."storefront_id"
           from "login_as_customer_session" s where s."id" = ? and t."session_id" = ?`,
        [bobs.data.session_id, mine.data.session_id]
      )
      const exchange = await exchangeTicket(mine, store)
      expect({ status: exchange.status, code: exchange.data.code }).toEqual({ status: 401, code: "invalid_ticket" })
      expect(await session(bobs.data.session_id)).toMatchObject({ started_at: null, ended_at: null })
      expect(await lines(bobs.data.session_id, "session_started")).toEqual([])
      // Bob's own ticket still opens his session.
      const own = await api.post(
        "/store/login-as-customer/sessions",
        { ticket: ticketOf(bobs.data.redirect_url) },
        { headers: { "x-publishable-api-key": store.publishableKey } }
      )
      expect(own.data.session.id).toBe(bobs.data.session_id)
    })

    it("lists in her assistance history only orders of the app's own order_placed lines and who ended a session by its own session_ended line: lines under the plain id, written by SQL, are not; nor a session of another customer's moved to her", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const catalog = await setupCatalog(container, store.publishableKey)
      const earlier = await impersonate(api as never, store)
      const { headers, session: ordering } = await impersonate(api as never, store)
      const cartId = await prepareCart(api, headers, catalog)
      const order = (await api.post(`/store/carts/${cartId}/complete`, {}, headers)).data.order
      const history = async () => (await api.get("/store/customers/me/remote-assistance", store.jane.headers)).data
      await eventually(async () => (await history()).sessions[0]?.orders.length > 0)
      await forge(`order_placed:${order.id}`, "order_placed", store.jane.id, earlier.session.id, { order_id: order.id })

      // Nor who ended a session by a session_ended line under the plain id.
      await knex().raw(
        `insert into ${LOG} ("id", "event_id", "action", "actor_type", "actor_id", "customer_id", "session_id", "details")
         values ('lacl_FORGED_ended_by', ?, 'session_ended', 'customer', ?, ?, ?, '{}'::jsonb)`,
        [`session_ended:${earlier.session.id}`, store.jane.id, store.jane.id, earlier.session.id]
      )
      // Nor a session of John's whose row SQL moved to her.
      await api.post("/store/customers/me/remote-assistance", { allowed: true }, store.john.headers)
      const johns = await impersonate(api as never, store, store.john)
      await knex().raw(`update "login_as_customer_session" set "customer_id" = ? where "id" = ?`, [store.jane.id, johns.session.id])

      const { sessions } = await history()
      expect(sessions).toEqual([
        expect.objectContaining({ id: ordering.id, order_ids: [order.id], orders: [{ id: order.id, display_id: order.display_id }] }),
        expect.objectContaining({ id: earlier.session.id, order_ids: [], orders: [], ended_by: "store" }),
      ])
    })

    it("takes only an event's keyed line for the app's: one under the plain id, written by SQL, is not read as what a ticket was issued with", async () => {
      const store = await setupStore(api as never, getContainer())
      await forge("ticket_issued:lacs_01JPLAINPLAINPLAINPLAINPLA", "ticket_issued", store.jane.id, "lacs_01JPLAINPLAINPLAINPLAINPLA", { mode: "full" })
      expect([...(await service().eventLines(["ticket_issued:lacs_01JPLAINPLAINPLAINPLAINPLA"])).keys()]).toEqual([])
    })

    it("refuses a session's token once its end is logged, even if its row is put back open, and shows it ended; ending it again answers 409 and writes nothing", async () => {
      const store = await setupStore(api as never, getContainer())
      const { headers, session: started } = await impersonate(api as never, store)
      expect((await api.delete("/store/login-as-customer/session", headers)).status).toBe(200)
      await eventually(async () => (await lines(started.id, "session_ended")).length === 1)
      await knex().raw(
        `update "login_as_customer_session" set "ended_at" = null, "end_reason" = null, "expires_at" = now() + interval '1 day' where "id" = ?`,
        [started.id]
      )

      // Nor is it shown in progress: the list, the card and her history show the end its line records.
      const active = await api.get(`/admin/login-as-customer/sessions?active=true`, store.admin.headers)
      expect(active.data.sessions.map((listed: any) => listed.id)).not.toContain(started.id)
      const card = await api.get(`/admin/customers/${store.jane.id}/login-as-customer`, store.admin.headers)
      expect(card.data.active_sessions).toEqual([])
      const all = await api.get(`/admin/login-as-customer/sessions?customer_id=${store.jane.id}`, store.admin.headers)
      expect(all.data.sessions.find((listed: any) => listed.id === started.id)).toMatchObject({ end_reason: "logout", status: "ended" })
      expect(all.data.sessions.find((listed: any) => listed.id === started.id).ended_at).not.toBeNull()
      const history = await api.get("/store/customers/me/remote-assistance", store.jane.headers)
      expect(history.data.sessions.find((listed: any) => listed.id === started.id)).toMatchObject({ end_reason: "logout", ended_by: "store" })

      const me = await refused(api.post("/store/customers/me", { first_name: "Janey" }, headers))
      expect({ status: me.status, code: me.data.code }).toEqual({ status: 401, code: "impersonation_ended" })
      const end = await refused(api.post(`/admin/login-as-customer/sessions/${started.id}/end`, {}, store.admin.headers))
      expect({ status: end.status, code: end.data.code }).toEqual({ status: 409, code: "session_already_ended" })
      expect(await lines(started.id, "session_ended")).toHaveLength(1)
      expect(await lines(started.id, "store_action")).toEqual([])

      // A pending session superseded (its end logged), its row put back open: its ticket starts nothing.
      const pending = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      expect((await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)).status).toBe(201)
      await eventually(async () => (await lines(pending.data.session_id, "session_ended")).length === 1)
      await knex().raw(`update "login_as_customer_session" set "ended_at" = null, "end_reason" = null where "id" = ?`, [pending.data.session_id])
      const exchange = await exchangeTicket(pending, store)
      expect({ status: exchange.status, code: exchange.data.code }).toEqual({ status: 401, code: "invalid_ticket" })
      expect(await lines(pending.data.session_id, "session_started")).toEqual([])
    })
  })
}
