import { customerPseudonym, LOG_KEY_ENV, LogKey, resolveLogKey, sealLog, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import { signErasureRecord } from "../../../src/modules/login-as-customer/log-integrity/erase"
import { erasedCustomerEmailSql, erasedDetailsSql } from "../../../src/modules/login-as-customer/log-integrity/sql"
import { eventually } from "../../helpers/seed"
import type { SuiteContext } from "../../helpers/suite"
import { integrityFixtures, key, LOG } from "./integrity-helpers"

const ERASE = "/admin/login-as-customer/log/erase"

/**
 * Erasure records signed with the log's key: an erasure made with the app's
 * database credentials but without the key (the update the append-only
 * trigger allows, and a `personal_data_erased` line inserted by hand) is
 * named, in quick and full verification alike; the app's own erasures verify.
 */
export default function erasureSignedSuite(context: SuiteContext) {
  const { api } = context
  const fx = integrityFixtures(context)
  const { knex, write, chain } = fx

  /** What someone with the app's database credentials can run: the erasure update, on every line of a customer. */
  const eraseBySql = async (customerId: string) =>
    (
      await knex().raw(
        `update ${LOG} l set "customer_email" = ${erasedCustomerEmailSql("l")}, "details" = ${erasedDetailsSql("l")}, "pii_salt" = null
          where l."customer_id" = ? and l."pii_salt" is not null and l."action" <> 'personal_data_erased'
          returning l."id"`,
        [customerId]
      )
    ).rows.length

  /** And a `personal_data_erased` line, inserted as the app inserts lines (triggers on). */
  const insertRecord = async (id: string, customerId: string, details: Record<string, unknown> = {}) => {
    const pseudonym = customerPseudonym(customerId)
    await knex().raw(
      `insert into ${LOG} ("id", "action", "actor_type", "actor_id", "user_id", "customer_id", "customer_email", "details")
       values (?, 'personal_data_erased', 'system', null, null, ?, ?, ?::jsonb)`,
      [id, customerId, pseudonym, JSON.stringify({ pseudonym, erased_lines: 9, trigger: "customer_deleted", ...details })]
    )
  }

  const records = async (customerId: string) =>
    (
      await knex().raw(`select "id", "details" from ${LOG} where "action" = 'personal_data_erased' and "customer_id" = ? order by "xact_id", "id"`, [
        customerId,
      ])
    ).rows as Array<{ id: string; details: Record<string, unknown> }>

  /** The seal checkpoint holding line `id`. */
  const sealedIn = async (id: string) =>
    (await knex().raw(`select "seq"::int as "seq" from login_as_customer_log_checkpoint where ? = any("line_ids")`, [id])).rows[0]?.seq ?? null

  /**
   * Runs `fn` with no signing key in the app (the key is read at each use; the
   * minute's seal job, if it runs meanwhile, seals unsigned as the test does).
   */
  const withoutKey = async (fn: () => Promise<void>) => {
    const saved = process.env[LOG_KEY_ENV]
    delete process.env[LOG_KEY_ENV]
    try {
      await fn()
    } finally {
      process.env[LOG_KEY_ENV] = saved
    }
  }

  describe.each([
    ["quick", false],
    ["full", true],
  ])("%s verification", (_mode, full) => {
    const verify = (k: LogKey | null = key) => verifyLog(knex(), k, { full })

    it("names an erasure made without the key: the erasure update and an unsigned record, sealed afterwards", async () => {
      const lines = await chain()
      expect(await eraseBySql("cus_test")).toBe(9)
      await insertRecord("lacl_FORGED_ERASURE", "cus_test")
      await sealLog(knex(), key)
      const result = await verify()
      expect(result).toMatchObject({
        verified: false,
        first_mismatch: { kind: "erasure_unsigned", checkpoint: await sealedIn("lacl_FORGED_ERASURE"), line_id: "lacl_FORGED_ERASURE" },
      })
      // The lines it claims to have erased are named too.
      expect(result.first_mismatch!.message).toContain("lacl_FORGED_ERASURE")
      expect(result.first_mismatch!.message).toContain(lines[0])
      expect(result.first_mismatch!.message).toMatch(/9 erased lines/)
    })

    it("names an erasure record whose signature was made up", async () => {
      await chain()
      await eraseBySql("cus_test")
      await insertRecord("lacl_MADE_UP_SIGNATURE", "cus_test", { key_id: key.id, signature: "ab".repeat(32) })
      await sealLog(knex(), key)
      expect((await verify()).first_mismatch).toMatchObject({ kind: "erasure_signature_invalid", line_id: "lacl_MADE_UP_SIGNATURE" })
      // Without the key the log can't tell: its answer says it is unsigned.
      expect(await verify(null)).toMatchObject({ verified: true, signed: false })
    })

    it("names an erasure record signed as the app signs, but with a key of someone else's", async () => {
      await chain()
      await eraseBySql("cus_test")
      const other = resolveLogKey("another key that is long enough to be accepted")!
      // In one transaction, so the record's transaction id is known before its insert.
      await knex().transaction(async (trx: any) => {
        const { rows: [{ xact_id }] } = await trx.raw(`select pg_catalog.pg_current_xact_id()::text as "xact_id"`)
        const signed = signErasureRecord(other, { id: "lacl_OTHER_KEY", xact_id, customer_id: "cus_test" })
        const pseudonym = customerPseudonym("cus_test")
        await trx.raw(
          `insert into ${LOG} ("id", "action", "actor_type", "customer_id", "customer_email", "details") values (?, 'personal_data_erased', 'system', ?, ?, ?::jsonb)`,
          ["lacl_OTHER_KEY", "cus_test", pseudonym, JSON.stringify({ pseudonym, erased_lines: 9, trigger: "customer_deleted", ...signed })]
        )
      })
      expect((await verify()).first_mismatch).toMatchObject({ kind: "erasure_signature_invalid", line_id: "lacl_OTHER_KEY" })
    })

    it("names a signed record's signature copied onto a record for another customer", async () => {
      for (let i = 0; i < 2; i++) {
        await write({ customer_id: "cus_a", customer_email: "a@example.com" })
        await write({ customer_id: "cus_b", customer_email: "b@example.com" })
      }
      await sealLog(knex(), key)
      expect((await api.post(ERASE, { customer_id: "cus_a" }, fx.admin.headers)).data).toMatchObject({ erased_lines: 2 })
      const [signed] = await records("cus_a")
      expect(signed.details).toMatchObject({ key_id: key.id, signature: expect.stringMatching(/^[0-9a-f]{64}$/) })
      await sealLog(knex(), key)
      expect(await verify()).toMatchObject({ verified: true, first_mismatch: null })

      // Its signature on a record for another customer, whose lines were erased by SQL.
      const { key_id, signature } = signed.details
      await eraseBySql("cus_b")
      await insertRecord("lacl_COPIED_TO_B", "cus_b", { key_id, signature })
      await sealLog(knex(), key)
      expect((await verify()).first_mismatch).toMatchObject({ kind: "erasure_signature_invalid", line_id: "lacl_COPIED_TO_B" })
      expect((await verify()).first_mismatch!.message).toContain("cus_b")
    })

    it("names a signed record replayed as a new line of the same customer, covering lines written after the erasure", async () => {
      await write({ customer_id: "cus_a", customer_email: "a@example.com" })
      await api.post(ERASE, { customer_id: "cus_a" }, fx.admin.headers)
      const [signed] = await records("cus_a")
      await write({ customer_id: "cus_a", customer_email: "a.new@example.com", details: { reason: "ticket 7" } })
      await sealLog(knex(), key)
      expect(await verify()).toMatchObject({ verified: true })
      expect(await eraseBySql("cus_a")).toBe(1)
      await insertRecord("lacl_REPLAYED", "cus_a", { key_id: signed.details.key_id, signature: signed.details.signature })
      await sealLog(knex(), key)
      expect((await verify()).first_mismatch).toMatchObject({ kind: "erasure_signature_invalid", line_id: "lacl_REPLAYED" })
    })

    it("verifies erasures the app made: on an admin's request and on the customer's deletion", async () => {
      const { jane, john } = await fx.janeAndJohn(2)
      expect((await api.post(ERASE, { customer_id: jane.id }, fx.admin.headers)).data).toEqual({
        pseudonym: customerPseudonym(jane.id),
        erased_lines: 2,
      })
      await api.delete(`/admin/customers/${john.id}`, fx.admin.headers)
      await eventually(async () => (await records(john.id)).length === 1)
      await sealLog(knex(), key)
      for (const customer of [jane, john]) {
        const [record] = await records(customer.id)
        expect(record.details).toMatchObject({ key_id: key.id, signature: expect.stringMatching(/^[0-9a-f]{64}$/) })
      }
      expect((await records(jane.id))[0].details).toMatchObject({ erased_lines: 2, trigger: "admin" })
      expect((await records(john.id))[0].details).toMatchObject({ erased_lines: 1, trigger: "customer_deleted" })
      expect(await verify()).toMatchObject({ verified: true, first_mismatch: null, signed: true })
    })

    it("accepts unsigned records written before the log's first signed checkpoint, and none after it", async () => {
      // A log kept without a key, erased as earlier versions recorded it (no signature).
      await withoutKey(async () => {
        await write({ customer_id: "cus_old", customer_email: "old@example.com" })
        await eraseBySql("cus_old")
        await insertRecord("lacl_OLD_RECORD", "cus_old")
        await sealLog(knex(), null)
      })
      // Then a key is set.
      await write()
      await sealLog(knex(), key)
      expect(await verify()).toMatchObject({ verified: true, first_mismatch: null })

      await write({ customer_id: "cus_old", customer_email: "old.again@example.com" })
      await eraseBySql("cus_old")
      await insertRecord("lacl_NEW_UNSIGNED", "cus_old")
      expect((await verify()).first_mismatch).toMatchObject({ kind: "erasure_unsigned", line_id: "lacl_NEW_UNSIGNED" })
    })

    it("without a key: erasure writes an unsigned record and verification answers signed: false", async () => {
      await withoutKey(async () => {
        await write({ customer_id: "cus_nokey", customer_email: "nokey@example.com" })
        await sealLog(knex(), null)
        expect((await api.post(ERASE, { customer_id: "cus_nokey" }, fx.admin.headers)).data).toMatchObject({ erased_lines: 1 })
        const [record] = await records("cus_nokey")
        expect(record.details).not.toHaveProperty("signature")
        expect(record.details).not.toHaveProperty("key_id")
        await sealLog(knex(), null)
        expect(await verify(null)).toMatchObject({ verified: true, signed: false, first_mismatch: null })
      })
    })
  })
}
