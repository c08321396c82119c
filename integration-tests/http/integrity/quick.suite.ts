import { sealLog, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import type { SuiteContext } from "../../helpers/suite"
import { integrityFixtures, key, LOG } from "./integrity-helpers"

/**
 * Quick verification: lines PostgreSQL shows as still the rows their insert
 * wrote are trusted, the others recomputed; full verification recomputes all.
 */
export default function quickSuite(context: SuiteContext) {
  const { api } = context
  const fx = integrityFixtures(context)
  const { knex, write, tamper, chain } = fx

  it("recomputes no line the store wrote, and every line when asked for a full verification", async () => {
    const lines = await chain()
    expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, mode: "quick", lines: lines.length, recomputed_lines: 0 })
    expect(await verifyLog(knex(), key, { full: true })).toMatchObject({
      verified: true,
      mode: "full",
      lines: lines.length,
      recomputed_lines: lines.length,
    })
  })

  it("recomputes the lines rewritten since their insert, and only those", async () => {
    const lines = await chain()
    // Rewritten with the same values: a new row version, still the same line.
    await tamper(`update ${LOG} set "action" = "action" where "id" in (?, ?)`, [lines[1], lines[7]])
    expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, recomputed_lines: 2 })
  })

  it("still trusts lines frozen by VACUUM, and still finds a line changed after the freeze", async () => {
    const lines = await chain()
    await knex().raw(`vacuum (freeze) ${LOG}`)
    expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, recomputed_lines: 0 })
    await tamper(`update ${LOG} set "user_email" = 'someone@else.example' where "id" = ?`, [lines[3]])
    expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "line_altered", line_id: lines[3] })
  })

  it("full verification finds a change quick verification can't see: one that kept the row's transaction stamp", async () => {
    // A line changed by the very transaction that wrote it keeps its stamp,
    // as an edit of the database's files underneath PostgreSQL would.
    await knex().transaction(async (trx: any) => {
      await trx.raw(
        `insert into ${LOG} ("id", "event_id", "action", "actor_type", "user_id") values ('lacl_SAMEXACT', 'same-xact', 'store_action', 'user', 'user_a')`
      )
      await trx.raw(`alter table ${LOG} disable trigger user`)
      await trx.raw(`update ${LOG} set "user_id" = 'user_b' where "id" = 'lacl_SAMEXACT'`)
      await trx.raw(`alter table ${LOG} enable always trigger "login_as_customer_log_entry_no_change"`)
      await trx.raw(`alter table ${LOG} enable always trigger "login_as_customer_log_entry_no_truncate"`)
      await trx.raw(`alter table ${LOG} enable always trigger "login_as_customer_log_entry_seal"`)
    })
    await write()
    await sealLog(knex(), key)
    expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, recomputed_lines: 0 })
    expect((await verifyLog(knex(), key, { full: true })).first_mismatch).toMatchObject({ kind: "line_altered", line_id: "lacl_SAMEXACT" })
  })

  it("the route verifies quick by default and fully on { full: true }, keeps which, and refuses other bodies", async () => {
    const lines = await chain()
    const quick = await api.post("/admin/login-as-customer/log/verify", {}, fx.admin.headers)
    expect(quick.data).toMatchObject({ verified: true, mode: "quick", recomputed_lines: 0, lines: lines.length })
    let health = await api.get("/admin/login-as-customer/log/health", fx.admin.headers)
    expect(health.data.health.last_verification).toMatchObject({ verified: true, mode: "quick" })

    const full = await api.post("/admin/login-as-customer/log/verify", { full: true }, fx.admin.headers)
    expect(full.data).toMatchObject({ verified: true, mode: "full", recomputed_lines: lines.length })
    health = await api.get("/admin/login-as-customer/log/health", fx.admin.headers)
    expect(health.data.health.last_verification).toMatchObject({ verified: true, mode: "full" })

    for (const body of [{ full: "yes" }, { full: 1 }, { quick: true }]) {
      const refused = await api.post("/admin/login-as-customer/log/verify", body, fx.admin.headers).catch((e: any) => e.response)
      expect({ body, status: refused.status, type: refused.data?.type }).toEqual({ body, status: 400, type: "invalid_data" })
    }
  })
}
