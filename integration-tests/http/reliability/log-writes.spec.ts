import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { impersonate, logRows, refusal, setupStore } from "../../helpers/fixtures"

jest.setTimeout(180_000)

const TABLE = "login_as_customer_log_entry"

/**
 * Log writes that fail are retried, and a success the client sees is on
 * record. The failure is real: a trigger makes the database refuse inserts
 * into the log until it is dropped.
 */
medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const knex = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const blockLog = async () => {
      await knex().raw(`create or replace function lac_test_refuse_insert() returns trigger language plpgsql as $$
        begin raise exception 'the log is unavailable'; end $$`)
      await knex().raw(`create trigger lac_test_refuse_insert before insert on ${TABLE} for each row execute function lac_test_refuse_insert()`)
    }
    const unblockLog = () => knex().raw(`drop trigger if exists lac_test_refuse_insert on ${TABLE}`)
    const logCount = async () => {
      const { rows } = await knex().raw(`select count(*)::int as n from ${TABLE}`)
      return rows[0].n as number
    }

    afterEach(async () => {
      await unblockLog()
    })

    it("holds a store action's answer until its line is written, retrying while the log is unavailable: one line", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const imp = await impersonate(api as never, store)
      const rowsBefore = await logCount()

      await blockLog()
      const started = Date.now()
      let answeredAt = 0
      const request = api.post("/store/customers/me", { first_name: "Janet" }, imp.headers).then((res) => {
        answeredAt = Date.now()
        return res
      })
      await new Promise((resolve) => setTimeout(resolve, 1500))
      // Still waiting: the change is made, but not yet on record, so not yet confirmed.
      expect(answeredAt).toBe(0)
      expect(await logCount()).toBe(rowsBefore)
      await unblockLog()

      const response = await request
      expect(response.status).toBe(200)
      expect(answeredAt - started).toBeGreaterThanOrEqual(1500)
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
      await new Promise((resolve) => setTimeout(resolve, 1200))
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

      await blockLog()
      const response = await refusal(api.post("/store/customers/me", { first_name: "Janet" }, imp.headers))
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
  },
})
