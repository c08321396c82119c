import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LoginAsCustomerEvents } from "../../../src/types"
import { toSessionEvent } from "../../../src/workflows/session/events"
import { logEntriesForEvent } from "../../../src/workflows/log/log-entries-for-event"
import { writeLogEntries } from "../../../src/workflows/log/write-log-entries"
import { customerPseudonym, LOG_KEY_ENV } from "../../../src/modules/login-as-customer/log-integrity"
import { setupCatalog } from "../../helpers/checkout"
import { impersonate, setupStore } from "../../helpers/fixtures"
import { createAdmin, eventually, refused } from "../../helpers/seed"
import type { SuiteContext } from "../../helpers/suite"
import { eventIdFixtures, MALLORY } from "./event-ids-helpers"
import { LOG } from "./integrity-helpers"

/**
 * Event ids are predictable (`session_started:<session id>`): whoever may
 * insert into the log can write an event's line before the app does, naming
 * another admin. The app's write of that event then refuses, and what it
 * records is not done, instead of taking that line for its own; a line of
 * the same event that records the same (a retry), erased since or not, is
 * still a duplicate.
 */
export default function eventIdsSuite(context: SuiteContext) {
  const { knex, service, forge, lines, exchangeTicket, session, placeFramedOrder } = eventIdFixtures(context)
  const { api, getContainer } = context

  describe("without the log's key (event ids as the app names them, predictable)", () => {
    let saved: string | undefined
    beforeEach(() => {
      saved = process.env[LOG_KEY_ENV]
      delete process.env[LOG_KEY_ENV]
    })
    afterEach(() => {
      if (saved !== undefined) process.env[LOG_KEY_ENV] = saved
    })

    it("does not start a session whose session_started line another admin's line was written under first", async () => {
      const store = await setupStore(api as never, getContainer())
      const start = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      const sessionId: string = start.data.session_id
      await forge(`session_started:${sessionId}`, "session_started", store.jane.id, sessionId, { storefront_id: "main", mode: "full" })

      const exchange = await exchangeTicket(start, store)
      expect(exchange.status).toBe(500)
      expect(exchange.data.token).toBeUndefined()
      expect(exchange.data.message).toBe(
        `Login as Customer: the log already holds a line for event "session_started:${sessionId}" that says otherwise (not what this "session_started" line records); what it records was not done`
      )
      // The session went back to pending: it never started.
      expect(await session(sessionId)).toMatchObject({ started_at: null, ended_at: null })
      // The forged line is the only one of that start: the admin's own was refused, not skipped as written.
      expect(await lines(sessionId, "session_started")).toEqual([
        { id: "lacl_FORGED_session_started", ...MALLORY, event_id: `session_started:${sessionId}` },
      ])
      // The ticket stays used.
      const again = await exchangeTicket(start, store)
      expect(again.status).toBe(401)
    })

    it("refuses a new ticket that would supersede a session whose session_ended line another admin's line was written under first, and leaves that session as it was", async () => {
      const store = await setupStore(api as never, getContainer())
      const first = await impersonate(api as never, store)
      const sessionId: string = first.session.id
      await forge(`session_ended:${sessionId}`, "session_ended", store.jane.id, sessionId, { end_reason: "superseded" })

      const second = await refused(api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers))
      expect(second.status).toBe(500)
      expect(second.data.message).toBe(
        `Login as Customer: the log already holds a line for event "session_ended:${sessionId}" that says otherwise (not what this "session_ended" line records); what it records was not done`
      )
      // Not superseded: the first session runs on, and the new one was voided.
      expect(await session(sessionId)).toMatchObject({ ended_at: null, end_reason: null })
      const { rows: open } = await knex().raw(
        `select "id" from "login_as_customer_session" where "user_id" = ? and "deleted_at" is null order by "id"`,
        [store.admin.id]
      )
      expect(open).toEqual([{ id: sessionId }])
      expect(await lines(sessionId, "session_ended")).toEqual([
        { id: "lacl_FORGED_session_ended", ...MALLORY, event_id: `session_ended:${sessionId}` },
      ])
    })

    it("answers 500 to an admin's end of a session whose session_ended line another admin's line was written under first", async () => {
      const store = await setupStore(api as never, getContainer())
      const { session: started } = await impersonate(api as never, store)
      await forge(`session_ended:${started.id}`, "session_ended", store.jane.id, started.id, { end_reason: "ended_by_admin" })

      const ended = await refused(api.post(`/admin/login-as-customer/sessions/${started.id}/end`, {}, store.admin.headers))
      expect(ended.status).toBe(500)
      expect(ended.data.message).toMatch(/the log already holds a line for event "session_ended:.*" that says otherwise/)
      expect(await lines(started.id, "session_ended")).toEqual([
        { id: "lacl_FORGED_session_ended", ...MALLORY, event_id: `session_ended:${started.id}` },
      ])
    })

    it("still takes a second write of the same line for a duplicate, before and after the customer's erasure, and refuses one that says otherwise", async () => {
      const admin = await createAdmin(api as never, getContainer())
      const entry = {
        event_id: "lacev_same_twice",
        action: "order_placed",
        actor_type: "user" as const,
        actor_id: "user_same",
        user_id: "user_same",
        user_email: "agent@example.com",
        customer_id: "cus_same",
        customer_email: "jane@example.com",
        session_id: "lacs_same",
        details: { order_id: "order_1", total: "10", reason: "ticket 42", note: "Placed by Ada", client_address: "10.0.0.1", mode: "full" },
      }
      const count = async () =>
        (await knex().raw(`select count(*)::int as "n" from ${LOG} where "event_id" = ?`, [entry.event_id])).rows[0].n
      expect(await service().recordLogEntry(entry)).toBe(true)
      expect(await service().recordLogEntry(entry)).toBe(false)
      expect(await count()).toBe(1)
      // A reason is what the line records too, before erasure.
      await expect(service().recordLogEntry({ ...entry, details: { ...entry.details, reason: "other" } })).rejects.toMatchObject({
        code: "log_line_refused",
      })

      const { data } = await api.post("/admin/login-as-customer/log/erase", { customer_id: "cus_same" }, admin.headers)
      expect(data).toEqual({ pseudonym: customerPseudonym("cus_same"), erased_lines: 1 })
      expect(await service().recordLogEntry(entry)).toBe(false)
      // A deleted customer's lines are written with their pseudonym: the same event too.
      expect(await service().recordLogEntry({ ...entry, customer_email: customerPseudonym("cus_same") })).toBe(false)
      expect(await count()).toBe(1)
      const { rows } = await knex().raw(`select "customer_email", "details", "pii_salt" from ${LOG} where "event_id" = ?`, [entry.event_id])
      expect(rows).toEqual([
        {
          customer_email: customerPseudonym("cus_same"),
          details: { ...entry.details, reason: null, note: null, client_address: null },
          pii_salt: null,
        },
      ])
      // Erased or not, what is not personal data still counts.
      for (const otherwise of [{ user_id: MALLORY.user_id }, { user_email: MALLORY.user_email }, { details: { ...entry.details, total: "11" } }]) {
        await expect(service().recordLogEntry({ ...entry, ...otherwise })).rejects.toThrow(
          'Login as Customer: the log already holds a line for event "lacev_same_twice" that says otherwise (not what this "order_placed" line records); what it records was not done'
        )
      }
      expect(await count()).toBe(1)
    })

    it("takes an exchanged session's own session_started line, written again as a retried workflow would, for a duplicate", async () => {
      const store = await setupStore(api as never, getContainer())
      const { session: started } = await impersonate(api as never, store)
      const event = toSessionEvent("session_started", await service().retrieveLoginAsCustomerSession(started.id))
      const entries = logEntriesForEvent(LoginAsCustomerEvents.SESSION_STARTED, event)
      expect(await writeLogEntries(getContainer(), entries)).toBe(0)
      expect(await lines(started.id, "session_started")).toEqual([
        { id: expect.any(String), user_id: store.admin.id, user_email: store.admin.email, event_id: `session_started:${started.id}` },
      ])
    })

    it("refuses a ticket whose ticket_issued line someone holding the log's table locked inserted first, the same line dated ten hours back", async () => {
      const store = await setupStore(api as never, getContainer())
      const sessions = () =>
        knex().raw(`select * from "login_as_customer_session" where "user_id" = ? and "customer_id" = ?`, [store.admin.id, store.jane.id])
      const lock = await knex().transaction()
      try {
        // Holds the app's insert of the line back (reads go on).
        await lock.raw(`lock table ${LOG} in share row exclusive mode`)
        const issued = api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers).then(
          (answer: any) => answer,
          (error: any) => error.response ?? Promise.reject(error)
        )
        let row: any
        for (let i = 0; i < 600 && !row; i++) {
          row = (await sessions()).rows[0] ?? (await new Promise((resolve) => setTimeout(resolve, 50)))
        }
        expect(row).toBeDefined()
        // The very line the app writes for it, dated ten hours back.
        const iso = (value: Date | null) => (value ? value.toISOString() : null)
        const details = { storefront_id: row.storefront_id, reason: row.reason, mode: row.mode, context: row.context, started_at: iso(row.started_at), expires_at: iso(row.expires_at) }
        await lock.raw(
          `insert into ${LOG} ("id", "event_id", "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id", "customer_email", "session_id", "details", "created_at")
           values ('lacl_BACKDATED', ?, 'ticket_issued', 'user', ?, ?, ?, ?, ?, ?, ?::jsonb, pg_catalog.now() - interval '10 hours')`,
          [`ticket_issued:${row.id}`, store.admin.id, store.admin.id, store.admin.email, store.jane.id, "jane@example.com", row.id, JSON.stringify(details)]
        )
        await lock.commit()

        const answer = await issued
        expect(answer.status).toBe(500)
        expect(answer.data.message).toMatch(
          new RegExp(`^Login as Customer: the log already holds a line for event "ticket_issued:${row.id}" dated \\S+, not between 1 minute before the event \\(\\S+\\) and now; what this "ticket_issued" line records was not done$`)
        )
        // The backdated line is the only one of that ticket, and no ticket of it can be used.
        expect(await lines(row.id, "ticket_issued")).toEqual([
          { id: "lacl_BACKDATED", user_id: store.admin.id, user_email: store.admin.email, event_id: `ticket_issued:${row.id}` },
        ])
        expect((await sessions()).rows.filter((s: any) => s.deleted_at === null && s.ended_at === null)).toEqual([])
      } finally {
        await lock.rollback().catch(() => undefined)
      }
    })

    it("takes a line of the same event for a duplicate only when dated from a minute before the event to now", async () => {
      const entry = {
        event_id: "lacev_dated",
        action: "order_placed",
        actor_type: "user" as const,
        actor_id: "user_dated",
        user_id: "user_dated",
        user_email: "agent@example.com",
        customer_id: "cus_dated",
        customer_email: "jane@example.com",
        session_id: "lacs_dated",
        details: { order_id: "order_dated", total: "10" },
      }
      /** The line inserted by SQL under `eventId`, dated `at` (an SQL expression). */
      const insertDated = (eventId: string, at: string) =>
        knex().raw(
          `insert into ${LOG} ("id", "event_id", "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id", "customer_email", "session_id", "details", "created_at")
           values (?, ?, ?, 'user', ?, ?, ?, ?, ?, ?, ?::jsonb, ${at})`,
          [`lacl_${eventId}`, eventId, entry.action, entry.actor_id, entry.user_id, entry.user_email, entry.customer_id, entry.customer_email, entry.session_id, JSON.stringify(entry.details)]
        )
      const now = new Date()
      const write = (eventId: string, occurredAt: Date | null) => service().recordLogEntry({ ...entry, event_id: eventId, occurred_at: occurredAt })

      await insertDated("lacev_dated_hours_before", "pg_catalog.now() - interval '2 hours'")
      await expect(write("lacev_dated_hours_before", now)).rejects.toThrow(
        /the log already holds a line for event "lacev_dated_hours_before" dated \S+, not between 1 minute before the event \(\S+\) and now/
      )
      await insertDated("lacev_dated_ahead", "pg_catalog.now() + interval '1 hour'")
      await expect(write("lacev_dated_ahead", now)).rejects.toMatchObject({ code: "log_line_refused" })
      await expect(write("lacev_dated_ahead", null)).rejects.toThrow(/dated \S+, after now; what this "order_placed" line records was not done/)

      // Within the minute the clocks may differ by, and an event of an older version (no time): duplicates.
      await insertDated("lacev_dated_skew", "pg_catalog.now() - interval '30 seconds'")
      expect(await write("lacev_dated_skew", now)).toBe(false)
      expect(await write("lacev_dated_hours_before", null)).toBe(false)
      const { rows } = await knex().raw(`select count(*)::int as "n" from ${LOG} where "event_id" like 'lacev_dated%'`)
      expect(rows).toEqual([{ n: 3 }])
    })

    it("says in the server's log that an order placed in a session could not be logged, when its order_placed line was written first by someone else", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const catalog = await setupCatalog(container, store.publishableKey)
      const { headers } = await impersonate(api as never, store)
      const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
      const errors = jest.spyOn(logger, "error")
      const orderId = await placeFramedOrder(headers, catalog)
      try {
        const said = await eventually(async () =>
          errors.mock.calls.map(([message]) => String(message)).find((message) => message.includes(`order ${orderId}`)) ?? null
        )
        expect(said).toMatch(
          new RegExp(`^Login as Customer: order ${orderId} could not be attributed and logged: .*the log already holds a line for event "order_placed:${orderId}" that says otherwise`)
        )
      } finally {
        errors.mockRestore()
      }
    })
  })
}
