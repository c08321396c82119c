import type { SuiteContext } from "../../helpers/suite"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { impersonate, lacService, logRows, saveSettings, setupStore } from "../../helpers/fixtures"
import { expectInvalidData, refused, refusedWithoutWrites } from "../../helpers/seed"

const LOG = "login_as_customer_log_entry"

/**
 * What a start that can't be completed leaves behind: nothing half-done. Bad
 * text (lone surrogates, which PostgreSQL refuses in json) and out-of-range
 * dates are refused with 400 before anything is written; a start whose log
 * lines the database refuses puts the admin's previous session back as it was.
 */
export default function startFailuresSuite({ api, getContainer }: SuiteContext) {
  const knex = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
  // A data error (SQLSTATE 22023), as a value PostgreSQL can't take raises.
  const refuseLogInserts = async () => {
    await knex().raw(`create or replace function lac_test_refuse_log() returns trigger language plpgsql as $$
        begin raise exception 'the log refuses this line' using errcode = '22023'; end $$`)
    await knex().raw(`create trigger lac_test_refuse_log before insert on ${LOG} for each row execute function lac_test_refuse_log()`)
  }
  const allowLogInserts = () => knex().raw(`drop trigger if exists lac_test_refuse_log on ${LOG}`)

  afterEach(async () => {
    await allowLogInserts()
  })

  it("refuses lone surrogates in the start's reason, order_id and storefront_id with 400, writing nothing", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const live = await impersonate(api as never, store)
    for (const [field, value] of [
      ["reason", "\ud800"],
      ["reason", "Ticket \udc00 42"],
      ["order_id", "order_\ud800"],
      ["storefront_id", "\udfff"],
    ]) {
      const started = Date.now()
      const response = await refusedWithoutWrites(container, () =>
        api.post(`/admin/customers/${store.jane.id}/login-as-customer`, { [field]: value }, store.admin.headers)
      )
      expectInvalidData(response, field)
      expect(response.data.message).toMatch(/unpaired UTF-16 surrogates/)
      expect(Date.now() - started).toBeLessThan(5_000)
    }
    // A complete pair (an emoji) is text like any other.
    const ok = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, { reason: "Ticket 😀 42" }, store.admin.headers)
    expect(ok.status).toBe(201)
    const [session] = await lacService(container).listLoginAsCustomerSessions({ id: ok.data.session_id })
    expect(session.reason).toBe("Ticket 😀 42")
    expect((await lacService(container).listLoginAsCustomerSessions({ id: live.session.id }))[0].end_reason).toBe(
      "superseded"
    )
  })

  it("a start whose log lines the database refuses leaves the previous session active, not ended without its line, and fails fast", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const live = await impersonate(api as never, store)
    const linesBefore = (await lacService(container).listLoginAsCustomerLogEntries({}, { select: ["id"] })).length

    await refuseLogInserts()
    const started = Date.now()
    const response = await refused(
      api.post(`/admin/customers/${store.jane.id}/login-as-customer`, { reason: "Ticket 42" }, store.admin.headers)
    )
    const took = Date.now() - started
    await allowLogInserts()

    expect(response.status).toBeGreaterThanOrEqual(500)
    // A data error is not retried for twenty seconds.
    expect(took).toBeLessThan(8_000)
    const [previous] = await lacService(container).listLoginAsCustomerSessions({ id: live.session.id })
    expect({ ended_at: previous.ended_at, end_reason: previous.end_reason }).toEqual({ ended_at: null, end_reason: null })
    // No new session is left pending, and no line was written.
    const open = await lacService(container).listLoginAsCustomerSessions({ user_id: store.admin.id, ended_at: null })
    expect(open.map((s: { id: string }) => s.id)).toEqual([live.session.id])
    expect((await lacService(container).listLoginAsCustomerLogEntries({}, { select: ["id"] })).length).toBe(linesBefore)
    // The previous session still works.
    expect((await api.get("/store/customers/me", live.headers)).status).toBe(200)

    // Once the log takes lines again, a start supersedes it with its line.
    const again = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
    expect(again.status).toBe(201)
    const ended = await logRows(container, "session_ended", { session_id: live.session.id })
    expect(ended.map((row) => row.details.end_reason)).toEqual(["superseded"])
  })

  it("treats a reason made only of invisible characters as no reason when one is required", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    await saveSettings(api as never, store, { require_reason: true })
    for (const reason of ["\u200b", " \u200c\u200d ", "\u2060", "\ufeff", "\u00ad\u200e", "\u3164", "\t\n"]) {
      const response = await refused(
        api.post(`/admin/customers/${store.jane.id}/login-as-customer`, { reason }, store.admin.headers)
      )
      expect({ status: response.status, code: response.data.code }).toEqual({ status: 400, code: "reason_required" })
    }
    const ok = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, { reason: " Ticket 42\u200b" }, store.admin.headers)
    expect(ok.status).toBe(201)
  })

  it("refuses consent dates outside years 1-9999 and lone surrogates in settings with 400, not 500", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    for (const expires_at of ["+275760-09-13T00:00:00.000Z", "275760-09-13", "10000-01-01", "9999-12-31T23:59:59.999-14:00"]) {
      expectInvalidData(
        await refusedWithoutWrites(container, () =>
          api.post("/store/customers/me/remote-assistance", { allowed: true, expires_at }, store.jane.headers)
        ),
        "expires_at"
      )
      expectInvalidData(
        await refusedWithoutWrites(container, () =>
          api.post(
            `/admin/customers/${store.john.id}/login-as-customer/remote-assistance`,
            { allowed: true, expires_at },
            store.admin.headers
          )
        ),
        "expires_at"
      )
    }
    // The last moment of year 9999 (UTC) is still a date.
    const last = await api.post(
      "/store/customers/me/remote-assistance",
      { allowed: true, expires_at: "9999-12-31T23:59:59.999Z" },
      store.jane.headers
    )
    expect(last.status).toBe(200)

    expectInvalidData(
      await refusedWithoutWrites(container, () =>
        api.post(
          "/admin/login-as-customer/settings",
          { storefronts: [{ id: "main", name: "Ref \ud800", login_url: "https://shop.example.com/a" }] },
          store.admin.headers
        )
      ),
      "storefronts.0.name"
    )
  })
}
