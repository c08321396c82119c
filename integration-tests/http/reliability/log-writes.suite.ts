import type { SuiteContext } from "../../helpers/suite"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { impersonate, logRows, refusal, setupStore } from "../../helpers/fixtures"
import { eventually } from "../../helpers/seed"

const TABLE = "login_as_customer_log_entry"

/**
 * Log writes that fail are retried, and a success the client sees is on
 * record. The failure is real: a trigger makes the database refuse inserts
 * into the log until it is dropped.
 */
export default function logWritesSuite({ api, getContainer }: SuiteContext) {
  const knex = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
  // Each refused insert takes a number from a sequence, which a rollback doesn't give back:
  // the tests wait on the retries they see, not on the clock.
  const blockLog = async () => {
    await knex().raw("create sequence if not exists lac_test_refused_inserts")
    await knex().raw(`create or replace function lac_test_refuse_insert() returns trigger language plpgsql as $$
        begin perform nextval('lac_test_refused_inserts'); raise exception 'the log is unavailable'; end $$`)
    await knex().raw(`create trigger lac_test_refuse_insert before insert on ${TABLE} for each row execute function lac_test_refuse_insert()`)
  }
  const unblockLog = () => knex().raw(`drop trigger if exists lac_test_refuse_insert on ${TABLE}`)
  const refusedInserts = async () => {
    const { rows } = await knex().raw("select case when is_called then last_value else 0 end as n from lac_test_refused_inserts")
    return Number(rows[0].n)
  }
  /** Waits until the database has refused `count` inserts into the log. */
  const refusedAtLeast = async (count: number) => {
    expect(await eventually(async () => (await refusedInserts()) >= count, { timeout: 30_000 })).toBe(true)
  }
  const logCount = async () => {
    const { rows } = await knex().raw(`select count(*)::int as n from ${TABLE}`)
    return rows[0].n as number
  }

  afterEach(async () => {
    delete process.env.LOGIN_AS_CUSTOMER_RETRY_MAX_DELAY_MS
    await unblockLog()
  })

  it("holds a store action's answer until its line is written, retrying while the log is unavailable: one line", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await impersonate(api as never, store)
    const rowsBefore = await logCount()

    await blockLog()
    let answeredAt = 0
    const request = api.post("/store/customers/me", { first_name: "Janet" }, imp.headers).then((res) => {
      answeredAt = Date.now()
      return res
    })
    // Refused three times (so retried twice): still waiting. The change is made,
    // but not yet on record, so not yet confirmed.
    await refusedAtLeast(3)
    expect(answeredAt).toBe(0)
    expect(await logCount()).toBe(rowsBefore)
    const unblockedAt = Date.now()
    await unblockLog()

    const response = await request
    expect(response.status).toBe(200)
    expect(answeredAt).toBeGreaterThanOrEqual(unblockedAt)
    const actions = await logRows(container, "store_action", { session_id: imp.session.id })
    expect(actions.map((row) => [row.details.method, row.details.path, row.details.status])).toEqual([
      ["POST", "/store/customers/me", 200],
    ])
  })

  it("retries the line of a session event inside its workflow: the end is answered once it is on record", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await impersonate(api as never, store)

    await blockLog()
    const request = api.post(`/admin/login-as-customer/sessions/${imp.session.id}/end`, {}, store.admin.headers)
    await refusedAtLeast(2)
    await unblockLog()
    const response = await request
    expect(response.status).toBe(200)
    const ended = await logRows(container, "session_ended", { session_id: imp.session.id })
    expect(ended).toHaveLength(1)
    expect(ended[0].details.end_reason).toBe("ended_by_admin")
    expect((await refusal(api.get("/store/customers/me", imp.headers))).status).toBe(401)
  })

  it("answers 503 log_unavailable, not success, when a store action can't be put on record at all", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await impersonate(api as never, store)

    // Every try, over milliseconds rather than the 21 s of the real backoff.
    process.env.LOGIN_AS_CUSTOMER_RETRY_MAX_DELAY_MS = "10"
    await blockLog()
    const response = await refusal(api.post("/store/customers/me", { first_name: "Janet" }, imp.headers))
    expect(await refusedInserts()).toBeGreaterThanOrEqual(10)
    delete process.env.LOGIN_AS_CUSTOMER_RETRY_MAX_DELAY_MS
    await unblockLog()
    expect({ status: response.status, code: response.data.code }).toEqual({ status: 503, code: "log_unavailable" })
    expect(response.data.message).toMatch(/not confirmed/)
    // The change itself went through (the answer says it may have): the next action is logged as usual.
    const [jane] = await container.resolve(Modules.CUSTOMER).listCustomers({ id: store.jane.id })
    expect(jane.first_name).toBe("Janet")
    await api.post("/store/customers/me", { first_name: "Jane" }, imp.headers)
    const actions = await logRows(container, "store_action", { session_id: imp.session.id })
    expect(actions.map((row) => row.details.status)).toEqual([200])
  })
}
