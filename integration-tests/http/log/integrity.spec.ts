import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import {
  customerPseudonym,
  lastCheckpoint,
  purgeLog,
  resolveLogKey,
  sealLog,
  SqlWithTransactions,
  verifyLog,
} from "../../../src/modules/login-as-customer/log-integrity"
import { lineDigestSql } from "../../../src/modules/login-as-customer/log-integrity/sql"
import { writeLogEntries } from "../../../src/workflows/log/write-log-entries"
import { createAdmin, eventually, refused, registerCustomer, createPublishableKey } from "../../helpers/seed"

jest.setTimeout(180_000)

const KEY = "k".repeat(16) + "-integrity-test-key-0123456789"
process.env.LOGIN_AS_CUSTOMER_LOG_KEY = KEY
const key = resolveLogKey()!
const LOG = "login_as_customer_log_entry"
const CHECKPOINTS = "login_as_customer_log_checkpoint"

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const knex = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION) as unknown as SqlWithTransactions & {
      transaction: (fn: (trx: any) => Promise<unknown>) => Promise<unknown>
    }
    const service = () => getContainer().resolve("loginAsCustomer") as any

    let line = 0
    /** Appends a log line through the module, as every route does. */
    const write = async (fields: Record<string, unknown> = {}) => {
      line++
      await service().recordLogEntry({
        action: "store_action",
        actor_type: "user",
        actor_id: "user_test",
        user_id: "user_test",
        user_email: "agent@example.com",
        customer_id: "cus_test",
        customer_email: "jane@example.com",
        session_id: "lacs_test",
        details: { method: "POST", path: `/store/carts/${line}`, reason: "ticket 42" },
        ...fields,
      })
    }
    const ids = async (): Promise<string[]> =>
      (await knex().raw(`select "id" from ${LOG} order by "xact_id", "id"`)).rows.map((r: { id: string }) => r.id)

    /** Runs a statement with the log's and the checkpoints' triggers off, as a database owner could. */
    const tamper = async (sql: string, bindings: unknown[] = []) => {
      await knex().transaction(async (trx: any) => {
        await trx.raw(`alter table ${LOG} disable trigger user`)
        await trx.raw(`alter table ${CHECKPOINTS} disable trigger user`)
        await trx.raw(sql, bindings)
        await trx.raw(`alter table ${LOG} enable always trigger "login_as_customer_log_entry_no_change"`)
        await trx.raw(`alter table ${LOG} enable always trigger "login_as_customer_log_entry_no_truncate"`)
        await trx.raw(`alter table ${LOG} enable always trigger "login_as_customer_log_entry_seal"`)
        await trx.raw(`alter table ${CHECKPOINTS} enable always trigger "login_as_customer_log_checkpoint_no_change"`)
        await trx.raw(`alter table ${CHECKPOINTS} enable always trigger "login_as_customer_log_checkpoint_no_truncate"`)
      })
    }

    /** Three checkpoints of three lines each, signed. */
    const chain = async () => {
      for (let c = 0; c < 3; c++) {
        for (let i = 0; i < 3; i++) await write()
        await sealLog(knex(), key)
      }
      const verified = await verifyLog(knex(), key)
      expect(verified).toMatchObject({ verified: true, first_mismatch: null, unsealed_lines: 0 })
      return ids()
    }

    let admin: Awaited<ReturnType<typeof createAdmin>>
    beforeEach(async () => {
      admin = await createAdmin(api as never, getContainer())
    })

    it("verifies a sealed log through its route, and names how far", async () => {
      const lines = await chain()
      const { data } = await api.post("/admin/login-as-customer/log/verify", {}, admin.headers)
      expect(data).toMatchObject({ verified: true, signed: true, lines: lines.length, first_mismatch: null })
      expect(data.checkpoints).toBeGreaterThanOrEqual(1)
      const { rows } = await knex().raw(`select max(created_at) as "max" from ${LOG}`)
      expect(new Date(data.verified_through).getTime()).toBe(new Date(rows[0].max).getTime())
      const { data: health } = await api.get("/admin/login-as-customer/log/health", admin.headers)
      expect(health.health).toMatchObject({
        lines: lines.length,
        unsealed_lines: 0,
        signing_key: true,
        last_verification: { verified: true },
      })
      expect(health.health.size_bytes).toBeGreaterThan(0)
    })

    it("keeps the chain in numeric order past nine checkpoints (sealing, verifying, retention)", async () => {
      // The minute's seal job may take a line first: each line is in exactly one checkpoint either way.
      for (let c = 0; c < 12; c++) {
        await write()
        await sealLog(knex(), key)
      }
      const count = Number((await lastCheckpoint(knex()))!.seq)
      expect(count).toBe(12)
      expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, checkpoints: 12, lines: 12 })
      await purgeLog(knex(), key, 1, { now: new Date(Date.now() + 2 * 86_400_000) })
      await write()
      await sealLog(knex(), key)
      expect(await lastCheckpoint(knex())).toMatchObject({ seq: "14", kind: "seal" })
      expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, lines: 1, removed_lines: 12 })
    })

    it("detects and names a changed field", async () => {
      const lines = await chain()
      await tamper(`update ${LOG} set "action" = 'nothing_happened' where "id" = ?`, [lines[4]])
      expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "line_altered", line_id: lines[4] })
    })

    it("detects and names a changed field in a line not sealed yet", async () => {
      await write()
      await write()
      const lines = await ids()
      await tamper(`update ${LOG} set "customer_id" = 'cus_other', "xact_id" = "xact_id" + 0 where "id" = ?`, [lines[1]])
      const result = await verifyLog(knex(), key)
      // Unless the minute's seal job took the lines first, they are unsealed: still checked against their stored digest.
      expect(result.first_mismatch).toMatchObject({ kind: "line_altered", line_id: lines[1] })
    })

    it("detects a changed field whose line digest was recomputed too, naming its checkpoint", async () => {
      const lines = await chain()
      await tamper(`update ${LOG} l set "session_id" = 'lacs_other' where "id" = ?`, [lines[4]])
      await tamper(`update ${LOG} l set "digest" = ${lineDigestSql("l")} where "id" = ?`, [lines[4]])
      const { rows } = await knex().raw(`select "seq"::int from ${CHECKPOINTS} where ? = any("line_ids")`, [lines[4]])
      expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "lines_changed", checkpoint: rows[0].seq })
    })

    it("detects and names a deleted line", async () => {
      const lines = await chain()
      await tamper(`delete from ${LOG} where "id" = ?`, [lines[5]])
      expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "line_missing", line_id: lines[5] })
    })

    it("detects and names an inserted line, backdated into a sealed range with a correct digest", async () => {
      const lines = await chain()
      await tamper(
        `insert into ${LOG} ("id", "event_id", "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id",
                            "customer_email", "session_id", "details", "created_at", "updated_at", "xact_id", "pii_salt", "pii_hash")
         select 'lacl_FORGED', null, "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id",
                "customer_email", "session_id", "details", "created_at", "updated_at", "xact_id", "pii_salt", "pii_hash"
           from ${LOG} where "id" = ?`,
        [lines[1]]
      )
      await tamper(`update ${LOG} l set "digest" = ${lineDigestSql("l")} where "id" = 'lacl_FORGED'`)
      expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "line_added", line_id: "lacl_FORGED" })
    })

    it("detects lines put in another order (their times swapped)", async () => {
      const lines = await chain()
      await tamper(
        `update ${LOG} a set "created_at" = b."created_at" from ${LOG} b
          where (a."id", b."id") in ((?, ?), (?, ?))`,
        [lines[0], lines[2], lines[2], lines[0]]
      )
      expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "line_altered", line_id: lines[0] })
    })

    it("detects checkpoints put in another order", async () => {
      await chain()
      await tamper(`update ${CHECKPOINTS} set "seq" = -1 where "seq" = 1`)
      await tamper(`update ${CHECKPOINTS} set "seq" = 1 where "seq" = 2`)
      await tamper(`update ${CHECKPOINTS} set "seq" = 2 where "seq" = -1`)
      expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "chain_broken", checkpoint: 1 })
    })

    it("detects and names a dropped checkpoint", async () => {
      await chain()
      await tamper(`delete from ${CHECKPOINTS} where "seq" = 2`)
      expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "checkpoint_missing", checkpoint: 2 })
    })

    it("detects a whole chain rebuilt without the key: unsigned, or signed with another key", async () => {
      await chain()
      await tamper(`delete from ${CHECKPOINTS}`)
      await sealLog(knex(), null)
      expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "unsigned", checkpoint: 1 })

      await tamper(`delete from ${CHECKPOINTS}`)
      await sealLog(knex(), resolveLogKey("another key that is long enough to be accepted")!)
      expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "signature_invalid", checkpoint: 1 })
      // Without a key the rebuilt chain can't be told apart: the admin is told the log is unsigned.
      expect(await verifyLog(knex(), null)).toMatchObject({ verified: true, signed: false })
    })

    it("still refuses plain UPDATE, DELETE and TRUNCATE of lines and checkpoints", async () => {
      const lines = await chain()
      for (const sql of [
        `update ${LOG} set "action" = 'x' where "id" = '${lines[0]}'`,
        `update ${LOG} set "pii_salt" = null, "action" = 'x' where "id" = '${lines[0]}'`,
        `update ${LOG} set "pii_salt" = null, "customer_email" = 'someone@else.example' where "id" = '${lines[0]}'`,
        `delete from ${LOG} where "id" = '${lines[0]}'`,
        `truncate ${LOG}`,
        `update ${CHECKPOINTS} set "line_count" = 0`,
        `delete from ${CHECKPOINTS}`,
        `truncate ${CHECKPOINTS}`,
      ]) {
        const error = await knex().raw(sql).then(() => null, (e: { code?: string }) => e)
        expect({ sql, code: error?.code }).toEqual({ sql, code: "42501" })
      }
    })

    it("concurrent writers during seals lose and double nothing, a line committed late with an earlier time included", async () => {
      // A transaction that writes a line, then stays open across a seal.
      let release!: () => void
      const released = new Promise<void>((resolve) => (release = resolve))
      let written!: () => void
      const lateWritten = new Promise<void>((resolve) => (written = resolve))
      const late = knex().transaction(async (trx: any) => {
        await trx.raw(
          `insert into ${LOG} ("id", "event_id", "action", "actor_type") values ('lacl_LATE', 'late-line', 'store_action', 'user')`
        )
        written()
        await released
      })
      await lateWritten
      await write()
      const early = await sealLog(knex(), key)
      // Nothing the open transaction could still be ordered before is sealed yet.
      expect(early).toBeNull()

      let writing = true
      const writers = Array.from({ length: 6 }, async () => {
        let n = 0
        while (n < 40) {
          await write()
          n++
        }
      })
      const sealer = (async () => {
        let seals = 0
        while (writing) {
          if (await sealLog(knex(), key)) seals++
        }
        return seals
      })()
      await Promise.all(writers)
      release()
      await late
      writing = false
      await sealer
      await eventually(async () => (await sealLog(knex(), key), (await verifyLog(knex(), key)).unsealed_lines === 0))

      const all = await ids()
      const { rows } = await knex().raw(`select unnest("line_ids") as "id" from ${CHECKPOINTS} where "kind" = 'seal'`)
      const sealed = rows.map((r: { id: string }) => r.id)
      expect(sealed.length).toBe(all.length)
      expect(new Set(sealed).size).toBe(all.length)
      expect(new Set(sealed)).toEqual(new Set(all))
      expect(all.length).toBe(1 + 1 + 6 * 40)
      const { rows: lateRow } = await knex().raw(`select "id" from ${LOG} where "event_id" = 'late-line'`)
      expect(sealed).toContain(lateRow[0].id)
      expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, lines: all.length })
    })

    it("retention removes whole sealed ranges through the one path, leaves a tombstone, and the chain still verifies", async () => {
      const lines = await chain()
      const last = await lastCheckpoint(knex())
      // Everything sealed so far is "older than a day" two days from now.
      const purged = await purgeLog(knex(), key, 1, { now: new Date(Date.now() + 2 * 86_400_000), batch: 4 })
      expect(purged).toMatchObject({ removed_lines: lines.length, tombstone: { kind: "tombstone", to_seq: last!.seq } })
      expect(purged.batches).toBeGreaterThan(2)
      expect(await ids()).toEqual([])
      await write()
      await write()
      await sealLog(knex(), key)
      expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, lines: 2, removed_lines: lines.length })
      // A line the tombstone doesn't cover still can't be deleted.
      const error = await knex().raw(`delete from ${LOG}`).then(() => null, (e: { code?: string }) => e)
      expect(error?.code).toBe("42501")
      // Nothing old enough: nothing removed.
      expect(await purgeLog(knex(), key, 30)).toMatchObject({ tombstone: null, removed_lines: 0 })
    })

    it("keeps the retention as a setting: forever by default, whole days, shown with the log's health", async () => {
      const route = "/admin/login-as-customer/settings"
      expect((await api.get(route, admin.headers)).data.settings.log_retention_days).toBeNull()
      for (const bad of [0, -1, 1.5, "30", 36_501]) {
        const refusal = await refused(api.post(route, { log_retention_days: bad }, admin.headers))
        expect({ bad, status: refusal.status, message: refusal.data.message }).toEqual({
          bad,
          status: 400,
          message: expect.stringContaining("log_retention_days"),
        })
      }
      const { data } = await api.post(route, { log_retention_days: 400 }, admin.headers)
      expect(data.settings.log_retention_days).toBe(400)
      expect((await api.get("/admin/login-as-customer/log/health", admin.headers)).data.health.retention_days).toBe(400)
      expect((await api.post(route, { log_retention_days: null }, admin.headers)).data.settings.log_retention_days).toBeNull()
    })

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
      // An erasure record forged after it: the lines of that customer written before it still hold personal data.
      await write({ action: "personal_data_erased", customer_email: customerPseudonym("cus_test"), details: { pseudonym: customerPseudonym("cus_test") } })
      expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "erasure_partial", line_id: lines[0] })
    })

    it("erases a customer's personal data on an admin's request and on deletion; the chain still verifies", async () => {
      const publishableKey = await createPublishableKey(getContainer())
      const jane = await registerCustomer(api as never, publishableKey, "jane@example.com")
      const john = await registerCustomer(api as never, publishableKey, "john@example.com")
      for (let i = 0; i < 3; i++) await write({ customer_id: jane.id, customer_email: jane.email })
      await write({ customer_id: john.id, customer_email: john.email })
      await sealLog(knex(), key)
      await write({ customer_id: jane.id, customer_email: jane.email })

      const { data } = await api.post("/admin/login-as-customer/log/erase", { customer_id: jane.id }, admin.headers)
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
      await api.delete(`/admin/customers/${john.id}`, admin.headers)
      await eventually(async () =>
        (await knex().raw(`select 1 from ${LOG} where "customer_id" = ? and "action" = 'personal_data_erased'`, [john.id])).rows.length
      )
      const { rows: after } = await knex().raw(`select distinct "customer_email" from ${LOG} where "customer_id" = ?`, [john.id])
      expect(after).toEqual([{ customer_email: customerPseudonym(john.id) }])
      // A line written about the deleted customer afterwards names the pseudonym, not the email Medusa still keeps.
      await writeLogEntries(getContainer(), [{ action: "login_denied", actor_type: "user", actor_id: admin.id, user_id: admin.id, customer_id: john.id }])
      const { rows: later } = await knex().raw(`select "customer_email" from ${LOG} where "customer_id" = ? and "action" = 'login_denied'`, [john.id])
      expect(later).toEqual([{ customer_email: customerPseudonym(john.id) }])
      await sealLog(knex(), key)
      expect(await verifyLog(knex(), key)).toMatchObject({ verified: true })

      expect((await refused(api.post("/admin/login-as-customer/log/erase", { customer: "x" }, admin.headers))).status).toBe(400)
    })
  },
})
