import { sealLog, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import type { SuiteContext } from "../../helpers/suite"
import { lineDigestSql } from "../../../src/modules/login-as-customer/log-integrity/sql"
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
      await trx.raw(`alter table ${LOG} enable always trigger "login_as_customer_log_entry_erasure_checked"`)
    })
    await write()
    await sealLog(knex(), key)
    expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, recomputed_lines: 0 })
    expect((await verifyLog(knex(), key, { full: true })).first_mismatch).toMatchObject({ kind: "line_altered", line_id: "lacl_SAMEXACT" })
  })

  /** A changed line, with the triggers off, on the table under whatever name it has. */
  const changeLine = async (table: string, id: string, set: string) => {
    await knex().transaction(async (trx: any) => {
      await trx.raw(`alter table ${table} disable trigger user`)
      await trx.raw(`update ${table} set ${set} where "id" = ?`, [id])
      for (const trigger of ["no_change", "no_truncate", "seal", "erasure_checked"]) {
        await trx.raw(`alter table ${table} enable always trigger "login_as_customer_log_entry_${trigger}"`)
      }
    })
  }

  it("runs a full verification when the log is not an ordinary table: a view in its place can't fake the rows' stamps", async () => {
    const lines = await chain()
    await knex().raw(`alter table ${LOG} rename to "lac_real"`)
    await knex().raw(
      `create view ${LOG} as select r.*, ((r."xact_id" % 4294967296)::text)::xid as "xmin" from "lac_real" r`
    )
    await changeLine(`"lac_real"`, lines[4], `"user_email" = 'someone@else.example'`)
    const result = await verifyLog(knex(), key)
    expect(result).toMatchObject({ verified: false, mode: "full", first_mismatch: { kind: "line_altered", line_id: lines[4] } })
    expect(result.note).toContain("not an ordinary table")
  })

  it.each([
    ["two columns' names swapped", [
      `alter table ${LOG} rename column "user_email" to "swap_tmp"`,
      `alter table ${LOG} rename column "customer_email" to "user_email"`,
      `alter table ${LOG} rename column "swap_tmp" to "customer_email"`,
    ]],
    ["a column dropped and added again with a default for the old rows", [
      `alter table ${LOG} rename column "user_id" to "user_id_before"`,
      `alter table ${LOG} add column "user_id" text default 'user_innocent'`,
    ]],
    ["a generated column in a covered column's place", [
      `alter table ${LOG} rename column "session_id" to "session_id_before"`,
      `alter table ${LOG} add column "session_id" text generated always as ('lacs_' || "id") virtual`,
    ]],
  ])("runs a full verification when the log's columns are not as its migrations made them: %s", async (_case, statements) => {
    await chain()
    for (const statement of statements) {
      await knex().raw(statement)
    }
    const result = await verifyLog(knex(), key)
    expect(result).toMatchObject({ verified: false, mode: "full", first_mismatch: { kind: "line_altered" } })
    expect(result.note).toMatch(/column "\w+" is not as the plugin's migrations made it/)
  })

  it("names an index that no longer holds the table's digests (a line changed in place while its indexes were switched off)", async () => {
    const lines = await chain()
    const indexes = `indexrelid in ('"IDX_login_as_customer_log_entry_xact_id_id_digest"'::regclass, '"IDX_login_as_customer_log_entry_outside_chain"'::regclass)`
    await knex().raw(`update pg_catalog.pg_index set "indislive" = false where ${indexes}`)
    // Columns no live index holds: PostgreSQL updates the line in place
    // (HOT), and the index keeps the digest it had.
    await changeLine(LOG, lines[4], `"actor_id" = 'user_other'`)
    await changeLine(LOG, lines[4], `"digest" = ${lineDigestSql(LOG)}`)
    await knex().raw(`update pg_catalog.pg_index set "indislive" = true where ${indexes}`)
    const result = await verifyLog(knex(), key)
    expect(result.first_mismatch).toMatchObject({ kind: "index_mismatch" })
  })

  it("counts a line with a transaction id no transaction has as rewritten, and names it, without an error", async () => {
    const lines = await chain()
    await changeLine(LOG, lines[4], `"xact_id" = -1`)
    expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "line_missing", line_id: lines[4] })
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
