import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { resolveLogKey, sealLog, SqlWithTransactions, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import { CheckpointFields, checkpointDigest } from "../../../src/modules/login-as-customer/log-integrity/checkpoint"
import { SEAL_LOCK } from "../../../src/modules/login-as-customer/log-integrity/seal"
import { createAdmin, createPublishableKey, registerCustomer } from "../../helpers/seed"
import type { SuiteContext } from "../../helpers/suite"

/** The signing key of the integrity group; set before the app boots (the group spec imports this file first). */
const KEY = "k".repeat(16) + "-integrity-test-key-0123456789"
process.env.LOGIN_AS_CUSTOMER_LOG_KEY = KEY
export const key = resolveLogKey()!
export const LOG = "login_as_customer_log_entry"
export const CHECKPOINTS = "login_as_customer_log_checkpoint"

/**
 * What every integrity suite works with: the app's SQL connection, a writer of
 * log lines through the module, the log's ids, tampering with the triggers off,
 * a signed chain of three checkpoints, and an admin created before each test.
 */
export function integrityFixtures({ api, getContainer }: SuiteContext) {
  const knex = () =>
    getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION) as unknown as SqlWithTransactions & {
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

  /**
   * Runs a statement with the log's and the checkpoints' triggers off, as a
   * database owner could. `then` runs in the same transaction after it, under
   * the seal lock, so the minute's seal job can't seal in between.
   */
  const tamper = async (sql: string, bindings: unknown[] = [], then?: (trx: any) => Promise<unknown>) => {
    await knex().transaction(async (trx: any) => {
      if (then) await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [SEAL_LOCK])
      await trx.raw(`alter table ${LOG} disable trigger user`)
      await trx.raw(`alter table ${CHECKPOINTS} disable trigger user`)
      await trx.raw(sql, bindings)
      await trx.raw(`alter table ${LOG} enable always trigger "login_as_customer_log_entry_no_change"`)
      await trx.raw(`alter table ${LOG} enable always trigger "login_as_customer_log_entry_no_truncate"`)
      await trx.raw(`alter table ${LOG} enable always trigger "login_as_customer_log_entry_seal"`)
      await trx.raw(`alter table ${LOG} enable always trigger "login_as_customer_log_entry_erasure_checked"`)
      await trx.raw(`alter table ${CHECKPOINTS} enable always trigger "login_as_customer_log_checkpoint_no_change"`)
      await trx.raw(`alter table ${CHECKPOINTS} enable always trigger "login_as_customer_log_checkpoint_no_truncate"`)
      if (then) await then(trx)
    })
  }

  /** A tombstone row `laccp_forged` with its own digest and no signature, by a plain INSERT (all the triggers allow). */
  const forgeTombstone = (fields: CheckpointFields) =>
    knex().raw(
      `insert into ${CHECKPOINTS} ("id", "seq", "kind", "from_xid", "to_xid", "from_seq", "to_seq", "line_count", "lines_digest", "anchor_digest", "prev_digest", "digest")
       values ('laccp_forged', ?, 'tombstone', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [fields.seq, fields.from_xid, fields.to_xid, fields.from_seq, fields.to_seq, fields.line_count, fields.lines_digest, fields.anchor_digest, fields.prev_digest, checkpointDigest(fields)]
    )

  /**
   * Three checkpoints of three lines each, signed. The minute's seal job may
   * seal between two writes, and a transaction still running elsewhere in the
   * database holds a seal back (it seals nothing); either gives another shape,
   * and the log is then emptied and the chain built again, a little later.
   */
  const chain = async () => {
    for (let attempt = 1; ; attempt++) {
      for (let c = 0; c < 3; c++) {
        for (let i = 0; i < 3; i++) await write()
        await sealLog(knex(), key)
      }
      const { rows } = await knex().raw(`select "seq"::int, "line_count"::int from ${CHECKPOINTS} order by "seq"`)
      const shape = rows.map((r: { seq: number; line_count: number }) => `${r.seq}:${r.line_count}`).join(",")
      const { rows: [{ n }] } = await knex().raw(`select count(*)::int as "n" from ${LOG}`)
      if (shape === "1:3,2:3,3:3" && n === 9) {
        break
      }
      if (attempt === 10) {
        throw new Error(`no chain of three seals of three lines after ${attempt} tries (checkpoints ${shape}, ${n} lines)`)
      }
      await tamper(`delete from ${CHECKPOINTS}`)
      await tamper(`delete from ${LOG}`)
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt))
    }
    const verified = await verifyLog(knex(), key)
    expect(verified).toMatchObject({ verified: true, first_mismatch: null, unsealed_lines: 0 })
    return ids()
  }

  /** Two registered customers, Jane with `janeLines` lines about her and John with one, sealed. */
  const janeAndJohn = async (janeLines: number) => {
    const publishableKey = await createPublishableKey(getContainer())
    const jane = await registerCustomer(api as never, publishableKey, "jane@example.com")
    const john = await registerCustomer(api as never, publishableKey, "john@example.com")
    for (let i = 0; i < janeLines; i++) await write({ customer_id: jane.id, customer_email: jane.email })
    await write({ customer_id: john.id, customer_email: john.email })
    await sealLog(knex(), key)
    return { jane, john }
  }

  const fixtures = {
    knex,
    write,
    ids,
    tamper,
    forgeTombstone,
    chain,
    janeAndJohn,
    admin: undefined as unknown as Awaited<ReturnType<typeof createAdmin>>,
  }
  beforeEach(async () => {
    fixtures.admin = await createAdmin(api as never, getContainer())
  })
  return fixtures
}
