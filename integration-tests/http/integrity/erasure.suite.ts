import { customerPseudonym, sealLog, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import { writeLogEntries } from "../../../src/workflows/log/write-log-entries"
import { createPublishableKey, eventually, refused, registerCustomer } from "../../helpers/seed"
import type { SuiteContext } from "../../helpers/suite"
import { integrityFixtures, key, LOG } from "./integrity-helpers"

/** Erasing a customer's personal data, and tampering through the erasure exception. */
export default function erasureSuite(context: SuiteContext) {
  const { api, getContainer } = context
  const fx = integrityFixtures(context)
  const { knex, write, tamper, chain } = fx

  /** Runs `sql` as the app's role with the triggers on: refused by the trigger, or verification names `line`. */
  const refusedOrNamed = async (sql: string, bindings: unknown[], line: string) => {
    const error = await knex().raw(sql, bindings).then(() => null, (e: { code?: string }) => e)
    if (error) {
      expect(error.code).toBe("42501")
      return "refused"
    }
    const result = await verifyLog(knex(), key)
    expect(result).toMatchObject({ verified: false, first_mismatch: { line_id: line } })
    return result.first_mismatch!.kind
  }

  it("refuses or names tampering through the erasure exception: the admin's email, a made-up pseudonym, one line's reason dropped", async () => {
    const lines = await chain()
    const fake = "erased-abcdef0123456789"
    // Both emails set to a made-up pseudonym, the salt dropped.
    expect(
      await refusedOrNamed(
        `update ${LOG} set "user_email" = ?, "customer_email" = ?, "pii_salt" = null where "id" = ?`,
        [fake, fake, lines[4]],
        lines[4]
      )
    ).toBe("refused")
    // The customer's email alone to a made-up pseudonym.
    expect(
      await refusedOrNamed(
        `update ${LOG} set "customer_email" = ?, "details" = "details" || '{"reason": null}', "pii_salt" = null where "id" = ?`,
        [fake, lines[4]],
        lines[4]
      )
    ).toBe("refused")
    // One line's reason nulled, the salt dropped.
    expect(
      await refusedOrNamed(`update ${LOG} set "details" = "details" || '{"reason": null}', "pii_salt" = null where "id" = ?`, [lines[4]], lines[4])
    ).toBe("refused")
    // The admin's email with the salt dropped, the customer's fields erased as erasure does.
    expect(
      await refusedOrNamed(
        `update ${LOG} set "user_email" = null, "customer_email" = ?, "details" = "details" || '{"reason": null}', "pii_salt" = null where "id" = ?`,
        [customerPseudonym("cus_test"), lines[4]],
        lines[4]
      )
    ).toBe("refused")
    expect(await verifyLog(knex(), key)).toMatchObject({ verified: true })

    // With the triggers off, verification names each.
    await tamper(`update ${LOG} set "user_email" = ? where "id" = ?`, [fake, lines[2]])
    expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "line_altered", line_id: lines[2] })
  })

  it("names an erased line whose pseudonym is not its customer's, even with the triggers off", async () => {
    const lines = await chain()
    await tamper(`update ${LOG} set "customer_email" = 'erased-abcdef0123456789', "details" = "details" || '{"reason": null}', "pii_salt" = null where "id" = ?`, [lines[3]])
    expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "erasure_invalid", line_id: lines[3] })
  })

  it("names one line erased exactly as erasure does but without a recorded, whole erasure", async () => {
    const lines = await chain()
    // What the trigger lets through on one chosen line: verification names it, nothing records that erasure.
    const oneLine = `update ${LOG} set "customer_email" = ?, "details" = "details" || '{"reason": null}', "pii_salt" = null where "id" = ?`
    expect(await refusedOrNamed(oneLine, [customerPseudonym("cus_test"), lines[5]], lines[5])).toBe("erasure_unrecorded")
    // An erasure record written after it, not signed: named (erasure-signed.suite.ts).
    await write({ action: "personal_data_erased", customer_email: customerPseudonym("cus_test"), details: { pseudonym: customerPseudonym("cus_test") } })
    expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "erasure_unsigned" })
    // Without a key to tell, it counts: the lines of that customer written before it still hold personal data.
    expect((await verifyLog(knex(), null)).first_mismatch).toMatchObject({ kind: "erasure_partial", line_id: lines[0] })
  })

  it("erases a customer's personal data on an admin's request and on deletion; the chain still verifies", async () => {
    const { jane, john } = await fx.janeAndJohn(3)
    await write({ customer_id: jane.id, customer_email: jane.email })

    const { data } = await api.post("/admin/login-as-customer/log/erase", { customer_id: jane.id }, fx.admin.headers)
    expect(data).toEqual({ pseudonym: customerPseudonym(jane.id), erased_lines: 4 })
    const { rows } = await knex().raw(
      `select "customer_email", "details" ->> 'reason' as "reason", "action" from ${LOG} where "customer_id" = ? order by "xact_id"`,
      [jane.id]
    )
    expect(rows).toEqual([
      ...Array(4).fill({ customer_email: customerPseudonym(jane.id), reason: null, action: "store_action" }),
      { customer_email: customerPseudonym(jane.id), reason: null, action: "personal_data_erased" },
    ])
    // The admin's email is kept.
    const { rows: admins } = await knex().raw(`select distinct "user_email" from ${LOG} where "customer_id" = ? and "action" = 'store_action'`, [jane.id])
    expect(admins).toEqual([{ user_email: "agent@example.com" }])
    const { rows: johns } = await knex().raw(`select "customer_email" from ${LOG} where "customer_id" = ?`, [john.id])
    expect(johns).toEqual([{ customer_email: "john@example.com" }])
    await sealLog(knex(), key)
    expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, unsealed_lines: 0 })

    // Deleting the customer in Medusa erases the same way.
    await api.delete(`/admin/customers/${john.id}`, fx.admin.headers)
    await eventually(async () =>
      (await knex().raw(`select 1 from ${LOG} where "customer_id" = ? and "action" = 'personal_data_erased'`, [john.id])).rows.length
    )
    const { rows: after } = await knex().raw(`select distinct "customer_email" from ${LOG} where "customer_id" = ?`, [john.id])
    expect(after).toEqual([{ customer_email: customerPseudonym(john.id) }])
    // A line written about the deleted customer afterwards names the pseudonym, not the email Medusa still keeps.
    await writeLogEntries(getContainer(), [{ action: "login_denied", actor_type: "user", actor_id: fx.admin.id, user_id: fx.admin.id, customer_id: john.id }])
    const { rows: later } = await knex().raw(`select "customer_email" from ${LOG} where "customer_id" = ? and "action" = 'login_denied'`, [john.id])
    expect(later).toEqual([{ customer_email: customerPseudonym(john.id) }])
    await sealLog(knex(), key)
    expect(await verifyLog(knex(), key)).toMatchObject({ verified: true })

    expect((await refused(api.post("/admin/login-as-customer/log/erase", { customer: "x" }, fx.admin.headers))).status).toBe(400)
  })

  it("erases the reasons of the customer's sessions too, and the log's search no longer finds a deleted customer by name or email", async () => {
    const publishableKey = await createPublishableKey(getContainer())
    const victoria = await registerCustomer(api as never, publishableKey, "victoria.secretname@example.org", {
      first_name: "Victoria",
      last_name: "Zyxwvut",
    })
    await write({ customer_id: victoria.id, customer_email: victoria.email })
    await knex().raw(
      `insert into login_as_customer_session ("id", "user_id", "customer_id", "reason", "mode", "expires_at")
       values ('lacs_01JVICTORIA000000000000000', ?, ?, 'Victoria''s medical supplies, phone +49 170 1234567', 'full', now() + interval '1 hour')`,
      [fx.admin.id, victoria.id]
    )
    // Its ticket_issued line, under its keyed id: with the key, a row without one is no session of the app's.
    await write({
      event_id: "ticket_issued:lacs_01JVICTORIA000000000000000",
      action: "ticket_issued",
      actor_id: fx.admin.id,
      user_id: fx.admin.id,
      user_email: fx.admin.email,
      customer_id: victoria.id,
      customer_email: victoria.email,
      session_id: "lacs_01JVICTORIA000000000000000",
      details: { mode: "full", reason: "Victoria's medical supplies, phone +49 170 1234567" },
    })
    const search = async (q: string) =>
      (await api.get(`/admin/login-as-customer/log?q=${encodeURIComponent(q)}`, fx.admin.headers)).data.log_entries.map(
        (entry: { customer_id: string }) => entry.customer_id
      )
    // While she is a customer, her name finds her lines.
    expect(await search("Zyxwvut")).toEqual([victoria.id, victoria.id])

    await api.delete(`/admin/customers/${victoria.id}`, fx.admin.headers)
    await eventually(async () =>
      (await knex().raw(`select 1 from ${LOG} where "customer_id" = ? and "action" = 'personal_data_erased'`, [victoria.id])).rows.length
    )
    const sessions = await api.get(`/admin/login-as-customer/sessions?customer_id=${victoria.id}`, fx.admin.headers)
    expect(sessions.data.sessions.map((session: { id: string; reason: string | null }) => [session.id, session.reason])).toEqual([["lacs_01JVICTORIA000000000000000", null]])
    // Medusa keeps a deleted customer's name and email: the search must not lead from them to her pseudonymous lines.
    for (const q of ["Zyxwvut", "victoria.secretname", "Victoria Zyxwvut"]) expect(await search(q)).toEqual([])
    // Her lines stay countable by her id.
    const byId = await api.get(`/admin/login-as-customer/log?customer_id=${victoria.id}`, fx.admin.headers)
    expect(byId.data.count).toBe(3)
  })

  it("erasing the same customer several times at once leaves a chain that verifies", async () => {
    for (let i = 0; i < 3; i++) await write({ customer_id: "cus_twice", customer_email: "twice@example.com" })
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => api.post("/admin/login-as-customer/log/erase", { customer_id: "cus_twice" }, fx.admin.headers))
    )
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200))
    expect(answers.reduce((sum, a) => sum + a.data.erased_lines, 0)).toBe(3)
    await sealLog(knex(), key)
    expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, first_mismatch: null })
  })
}
