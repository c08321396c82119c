import { sealLog, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import { parseCsv } from "../../helpers/csv"
import type { SuiteContext } from "../../helpers/suite"
import { integrityFixtures, key, LOG } from "./integrity-helpers"

/**
 * A line inserted by SQL with `deleted_at` set, every trigger on, was sealed
 * and counted by verification and Log health, but the admin's list and
 * export (`deleted_at` is null) never showed it. The insert trigger now
 * sets `deleted_at` to null (Migration20261204140001); set later with the
 * triggers off, it changes the line's digest.
 */
export default function deletedAtSuite(context: SuiteContext) {
  const fx = integrityFixtures(context)
  const { knex } = fx
  const { api } = context
  const VERIFY = "/admin/login-as-customer/log/verify"

  it("lands a line inserted with deleted_at set as not deleted: in the list, the export and verification", async () => {
    await fx.write()
    await knex().raw(
      `insert into ${LOG} ("id", "action", "actor_type", "session_id", "details", "created_at", "deleted_at")
       values ('lacl_sql_del2', 'session_started', 'user', 'lacs_sql_del2', '{}', now(), now())`
    )
    const { rows: [line] } = await knex().raw(`select "deleted_at" from ${LOG} where "id" = 'lacl_sql_del2'`)
    expect(line).toEqual({ deleted_at: null })

    const list = await api.get(`/admin/login-as-customer/log?session_id=lacs_sql_del2`, fx.admin.headers)
    expect(list.status).toBe(200)
    expect(list.data.log_entries.map((e: { id: string }) => e.id)).toEqual(["lacl_sql_del2"])
    expect(list.data.count).toBe(1)

    const exported = await api.get(`/admin/login-as-customer/log/export?session_id=lacs_sql_del2`, fx.admin.headers)
    expect(exported.status).toBe(200)
    const [header, ...rows] = parseCsv(exported.data)
    expect(rows.map((row) => row[header.indexOf("id")])).toEqual(["lacl_sql_del2"])

    await sealLog(knex(), key)
    for (const full of [false, true]) {
      const { data } = await api.post(VERIFY, full ? { full: true } : {}, fx.admin.headers)
      expect(data).toMatchObject({ verified: true, first_mismatch: null, mode: full ? "full" : "quick" })
    }
  })

  it("names a sealed line whose deleted_at is set later with the triggers off as changed, in quick and full verification", async () => {
    const lines = await fx.chain()
    await fx.tamper(`update ${LOG} set "deleted_at" = now() where "id" = ?`, [lines[4]])
    for (const full of [false, true]) {
      expect((await verifyLog(knex(), key, { full })).first_mismatch).toMatchObject({ kind: "line_altered", line_id: lines[4] })
    }
  })
}
