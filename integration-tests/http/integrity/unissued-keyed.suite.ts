import { setupStore } from "../../helpers/fixtures"
import type { SuiteContext } from "../../helpers/suite"
import expireLoginAsCustomerSessions from "../../../src/jobs/expire-login-as-customer-sessions"
import { LOG } from "./integrity-helpers"
import { eventIdFixtures } from "./event-ids-helpers"

/**
 * With the log's key, a session row the app didn't issue (no ticket_issued
 * line under its keyed id: SQL made it) is no session of the app's: its end
 * is not logged, and neither the admin nor the customer is shown it.
 */
export default function unissuedKeyedSuite(context: SuiteContext) {
  const { api, getContainer } = context
  const { knex } = eventIdFixtures(context)

  it("neither logs the end of a session row SQL made nor shows it on the customer card, in the admin's list or in her history; ending it is 404", async () => {
    const store = await setupStore(api as never, getContainer())
    const insert = (id: string, expires: string) =>
      knex().raw(
        `insert into "login_as_customer_session" ("id", "user_id", "customer_id", "storefront_id", "reason", "mode", "started_at", "expires_at")
         values (?, ?, ?, 'main', 'fake: refund check', 'full', now() - interval '30 minutes', ${expires})`,
        [id, store.admin.id, store.jane.id]
      )
    const expired = "lacs_01JUNISSUEDEXPIRED00000001"
    const open = "lacs_01JUNISSUEDOPEN00000000001"
    await insert(expired, "now() - interval '1 minute'")
    await insert(open, "now() + interval '50 minutes'")

    await expireLoginAsCustomerSessions(getContainer())
    const ended = (await knex().raw(`select "ended_at" from "login_as_customer_session" where "id" = ?`, [expired])).rows[0]
    expect(ended.ended_at).not.toBeNull()
    const lines = await knex().raw(`select "id" from ${LOG} where "session_id" in (?, ?)`, [expired, open])
    expect(lines.rows).toEqual([])

    const card = await api.get(`/admin/customers/${store.jane.id}/login-as-customer`, store.admin.headers)
    expect(card.data.active_sessions.map((session: { id: string }) => session.id)).not.toContain(open)
    const listed = await api.get(`/admin/login-as-customer/sessions?customer_id=${store.jane.id}`, store.admin.headers)
    expect(listed.data.sessions.map((session: { id: string }) => session.id)).toEqual([])
    const history = await api.get("/store/customers/me/remote-assistance", store.jane.headers)
    expect(history.data.sessions).toEqual([])

    const end = await api.post(`/admin/login-as-customer/sessions/${open}/end`, {}, store.admin.headers).catch((error) => error.response)
    expect({ status: end.status, code: end.data.code }).toEqual({ status: 404, code: "session_not_found" })
    expect((await knex().raw(`select "id" from ${LOG} where "session_id" = ?`, [open])).rows).toEqual([])
  })
}
