import type { SuiteContext } from "../../helpers/suite"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { impersonate, logRows, refusal, setupStore } from "../../helpers/fixtures"

const TABLE = "login_as_customer_log_entry"

export default function appendOnlySuite({ api, getContainer }: SuiteContext) {
  /** Every log row, as text, in a stable order: what must never change. */
  const logDump = async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const { rows } = await knex.raw(`select row_to_json(l)::text as row from ${TABLE} l order by id`)
    return rows.map((r: { row: string }) => r.row)
  }

  /** The database error of a statement expected to be refused. */
  const rejected = async (sql: string) => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    try {
      await knex.raw(sql)
    } catch (error) {
      return error as { message: string; code?: string }
    }
    throw new Error(`expected the database to refuse: ${sql}`)
  }

  it("refuses UPDATE, DELETE and TRUNCATE of the log in the database, and the rows stay as written", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const { session, headers } = await impersonate(api as never, store)
    await api.delete("/store/login-as-customer/session", headers)
    const before = await logDump()
    // ticket_issued, session_started, session_ended, and the consent given by setupStore
    expect(before.length).toBeGreaterThanOrEqual(4)

    const statements = [
      `update ${TABLE} set action = 'nothing_happened'`,
      `update ${TABLE} set deleted_at = now() where session_id = '${session.id}'`,
      `delete from ${TABLE} where session_id = '${session.id}'`,
      `delete from ${TABLE}`,
      `truncate ${TABLE}`,
    ]
    for (const sql of statements) {
      const error = await rejected(sql)
      expect({ sql, message: error.message, code: error.code }).toEqual({
        sql,
        message: expect.stringContaining(`${TABLE} is append-only`),
        code: "42501",
      })
    }
    expect(await logDump()).toEqual(before)

    // Appending still works.
    await api.post(
      `/admin/customers/${store.jane.id}/login-as-customer/remote-assistance`,
      { allowed: false },
      store.admin.headers
    )
    const after = await logDump()
    expect(after.length).toBeGreaterThan(before.length)
    expect(after.filter((row: string) => before.includes(row))).toEqual(before)
    expect(await logRows(container, "assistance_updated", { customer_id: store.jane.id })).toEqual(
      expect.arrayContaining([expect.objectContaining({ details: expect.objectContaining({ allowed: false }) })])
    )
  })

  it("still refuses UPDATE, DELETE and TRUNCATE under session_replication_role = replica (the triggers fire ALWAYS)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const { session } = await impersonate(api as never, store)
    const before = await logDump()
    expect(before.length).toBeGreaterThanOrEqual(3)
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)

    const statements = [
      `update ${TABLE} set action = 'nothing_happened'`,
      `delete from ${TABLE} where session_id = '${session.id}'`,
      `truncate ${TABLE}`,
    ]
    for (const sql of statements) {
      // A replication apply worker, or a superuser restoring data, skips ordinary triggers this way.
      const outcome = await knex
        .transaction(async (trx: { raw: (sql: string) => Promise<{ rows: Array<{ role: string }> }> }) => {
          await trx.raw("set local session_replication_role = replica")
          const { rows } = await trx.raw("select current_setting('session_replication_role') as role")
          expect(rows[0].role).toBe("replica")
          await trx.raw(sql)
        })
        .then(
          () => null,
          (error: { message: string; code?: string }) => error
        )
      expect({ sql, message: outcome?.message, code: outcome?.code }).toEqual({
        sql,
        message: expect.stringContaining(`${TABLE} is append-only`),
        code: "42501",
      })
    }
    expect(await logDump()).toEqual(before)
  })

  it("offers no route that changes or removes log rows", async () => {
    const store = await setupStore(api as never, getContainer())
    await impersonate(api as never, store)
    const before = await logDump()
    const [row] = before.map((r: string) => JSON.parse(r))
    const attempts = [
      () => api.delete("/admin/login-as-customer/log", store.admin.headers),
      () => api.delete(`/admin/login-as-customer/log/${row.id}`, store.admin.headers),
      () => api.post(`/admin/login-as-customer/log/${row.id}`, { action: "x" }, store.admin.headers),
      () => api.post("/admin/login-as-customer/log", { action: "x" }, store.admin.headers),
    ]
    for (const attempt of attempts) {
      const response = await refusal(attempt())
      expect(response.status).toBe(404)
    }
    expect(await logDump()).toEqual(before)
  })
}
