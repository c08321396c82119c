import { LogKey, resolveLogKey, sealLog, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import { lineDigestSql } from "../../../src/modules/login-as-customer/log-integrity/sql"
import type { SuiteContext } from "../../helpers/suite"
import { CHECKPOINTS, integrityFixtures, key, LOG } from "./integrity-helpers"

/**
 * Tampering with lines and checkpoints: refused by the triggers, or named by
 * verification, quick (only lines rewritten since their insert recomputed)
 * and full (every line recomputed) alike.
 */
export default function tamperSuite(context: SuiteContext) {
  const fx = integrityFixtures(context)
  const { knex, tamper, chain } = fx

  describe.each([
    ["quick", false],
    ["full", true],
  ])("%s verification", (_mode, full) => {
    tamperCases(fx, (k = key) => verifyLog(knex(), k, { full }))
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
}

/** The tampering cases, each checked by `verify`. */
function tamperCases(fx: ReturnType<typeof integrityFixtures>, verify: (k?: LogKey | null) => ReturnType<typeof verifyLog>) {
  const { knex, write, ids, tamper, chain } = fx

  it("detects and names a changed field", async () => {
    const lines = await chain()
    await tamper(`update ${LOG} set "action" = 'nothing_happened' where "id" = ?`, [lines[4]])
    expect((await verify()).first_mismatch).toMatchObject({ kind: "line_altered", line_id: lines[4] })
  })

  it("detects and names a changed field in a line not sealed yet", async () => {
    await write()
    await write()
    const lines = await ids()
    await tamper(`update ${LOG} set "customer_id" = 'cus_other', "xact_id" = "xact_id" + 0 where "id" = ?`, [lines[1]])
    const result = await verify()
    // Unless the minute's seal job took the lines first, they are unsealed: still checked against their stored digest.
    expect(result.first_mismatch).toMatchObject({ kind: "line_altered", line_id: lines[1] })
  })

  it("detects a changed field whose line digest was recomputed too, naming its checkpoint", async () => {
    const lines = await chain()
    await tamper(`update ${LOG} l set "session_id" = 'lacs_other' where "id" = ?`, [lines[4]])
    await tamper(`update ${LOG} l set "digest" = ${lineDigestSql("l")} where "id" = ?`, [lines[4]])
    const { rows } = await knex().raw(`select "seq"::int from ${CHECKPOINTS} where ? = any("line_ids")`, [lines[4]])
    expect((await verify()).first_mismatch).toMatchObject({ kind: "lines_changed", checkpoint: rows[0].seq })
  })

  it("detects and names a deleted line", async () => {
    const lines = await chain()
    await tamper(`delete from ${LOG} where "id" = ?`, [lines[5]])
    expect((await verify()).first_mismatch).toMatchObject({ kind: "line_missing", line_id: lines[5] })
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
    expect((await verify()).first_mismatch).toMatchObject({ kind: "line_added", line_id: "lacl_FORGED" })
  })

  it("detects lines put in another order (their times swapped)", async () => {
    const lines = await chain()
    await tamper(
      `update ${LOG} a set "created_at" = b."created_at" from ${LOG} b
        where (a."id", b."id") in ((?, ?), (?, ?))`,
      [lines[0], lines[2], lines[2], lines[0]]
    )
    expect((await verify()).first_mismatch).toMatchObject({ kind: "line_altered", line_id: lines[0] })
  })

  it("detects checkpoints put in another order", async () => {
    await chain()
    await tamper(`update ${CHECKPOINTS} set "seq" = -1 where "seq" = 1`)
    await tamper(`update ${CHECKPOINTS} set "seq" = 1 where "seq" = 2`)
    await tamper(`update ${CHECKPOINTS} set "seq" = 2 where "seq" = -1`)
    expect((await verify()).first_mismatch).toMatchObject({ kind: "chain_broken", checkpoint: 1 })
  })

  it("detects and names a dropped checkpoint", async () => {
    await chain()
    await tamper(`delete from ${CHECKPOINTS} where "seq" = 2`)
    expect((await verify()).first_mismatch).toMatchObject({ kind: "checkpoint_missing", checkpoint: 2 })
  })

  it("names a line whose stored digest was replaced by text that isn't a digest (no error)", async () => {
    const lines = await chain()
    await tamper(`update ${LOG} set "digest" = 'not hex' where "id" = ?`, [lines[4]])
    expect((await verify()).first_mismatch).toMatchObject({ kind: "line_altered", line_id: lines[4] })
  })

  it("of two mismatches, names the first in chain order, with what was verified before it", async () => {
    const lines = await chain()
    const sealOf = async (id: string) =>
      (await knex().raw(`select "seq"::int from ${CHECKPOINTS} where ? = any("line_ids")`, [id])).rows[0].seq as number
    const [first, last] = [lines[1], lines[7]]
    expect([await sealOf(first), await sealOf(last)]).toEqual([1, 3])

    // A line changed in the first checkpoint comes before the third one dropped.
    await tamper(`update ${LOG} set "action" = 'nothing_happened' where "id" = ?`, [first])
    await tamper(`delete from ${CHECKPOINTS} where "seq" = 3`)
    expect(await verify()).toMatchObject({
      verified: false,
      first_mismatch: { kind: "line_altered", checkpoint: 1, line_id: first },
      checkpoints: 0,
      lines: 0,
      verified_through: null,
    })
  })

  it("of two mismatches, names a missing checkpoint before a line changed after it", async () => {
    const lines = await chain()
    const { rows: [one] } = await knex().raw(`select "line_count"::int as "n", "last_line_at" from ${CHECKPOINTS} where "seq" = 1`)
    await tamper(`update ${LOG} set "action" = 'nothing_happened' where "id" = ?`, [lines[7]])
    await tamper(`delete from ${CHECKPOINTS} where "seq" = 2`)
    expect(await verify()).toMatchObject({
      verified: false,
      first_mismatch: { kind: "checkpoint_missing", checkpoint: 2 },
      checkpoints: 1,
      lines: one.n,
      verified_through: one.last_line_at,
    })
  })

  it("names the checkpoint missing before one added far past the last (a gap of a trillion seqs), at once", async () => {
    await chain()
    const { rows: [{ last }] } = await knex().raw(`select max("seq")::int as "last" from ${CHECKPOINTS}`)
    await tamper(
      `insert into ${CHECKPOINTS}
       select (jsonb_populate_record(null::${CHECKPOINTS}, to_jsonb(c) || '{"id": "laccp_far", "seq": 1000000000000}')).*
         from ${CHECKPOINTS} c where c."seq" = ?`,
      [last]
    )
    expect((await verify()).first_mismatch).toMatchObject({ kind: "checkpoint_missing", checkpoint: last + 1 })
  })

  it("detects a whole chain rebuilt without the key: unsigned, or signed with another key", async () => {
    await chain()
    await tamper(`delete from ${CHECKPOINTS}`, [], (trx) => sealLog(trx, null))
    expect((await verify()).first_mismatch).toMatchObject({ kind: "unsigned", checkpoint: 1 })

    await tamper(`delete from ${CHECKPOINTS}`, [], (trx) => sealLog(trx, resolveLogKey("another key that is long enough to be accepted")!))
    expect((await verify()).first_mismatch).toMatchObject({ kind: "signature_invalid", checkpoint: 1 })
    // Without a key the rebuilt chain can't be told apart: the admin is told the log is unsigned.
    expect(await verify(null)).toMatchObject({ verified: true, signed: false })
  })
}
