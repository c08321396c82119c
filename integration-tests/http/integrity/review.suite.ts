import { customerPseudonym, LogKey, sealLog, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import { erasedCustomerEmailSql, erasedDetailsSql, lineDigestSql, piiHashSql } from "../../../src/modules/login-as-customer/log-integrity/sql"
import type { SuiteContext } from "../../helpers/suite"
import { CHECKPOINTS, integrityFixtures, key, LOG } from "./integrity-helpers"

/**
 * What a review with the app's database credentials but not the log's key
 * made the log say while verification still answered true: each is named
 * now, in quick and full verification alike.
 */
export default function reviewSuite(context: SuiteContext) {
  const fx = integrityFixtures(context)
  const { knex, tamper, chain } = fx

  /** A copy of line `from` as a new line `id`, with `set` SQL assignments, written around the insert trigger. */
  const forgeLine = async (id: string, from: string, set: string) => {
    await tamper(
      `insert into ${LOG} ("id", "event_id", "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id",
                          "customer_email", "session_id", "details", "created_at", "updated_at", "xact_id", "pii_salt", "pii_hash", "digest")
       select ?, null, "action", "actor_type", "actor_id", "user_id", "user_email", "customer_id",
              "customer_email", "session_id", "details", "created_at", "updated_at", "xact_id", "pii_salt", "pii_hash", "digest"
         from ${LOG} where "id" = ?`,
      [id, from]
    )
    await tamper(`update ${LOG} l set ${set} where "id" = ?`, [id])
    await tamper(`update ${LOG} l set "pii_hash" = ${piiHashSql("l")} where "id" = ?`, [id])
    await tamper(`update ${LOG} l set "digest" = ${lineDigestSql("l")} where "id" = ?`, [id])
  }

  describe.each([
    ["quick", false],
    ["full", true],
  ])("%s verification", (_mode, full) => {
    const verify = (k: LogKey | null = key) => verifyLog(knex(), k, { full })

    it("names an unsigned erasure record even beside a made-up signed checkpoint before the chain's first", async () => {
      await chain()
      await knex().raw(
        `insert into ${CHECKPOINTS} ("id", "seq", "kind", "from_xid", "to_xid", "line_count", "lines_digest", "prev_digest", "digest", "key_id", "signature")
         values ('laccp_forged', -1, 'seal', 9000000000000000000, 0, 0, 'x', 'x', 'x', 'x', 'forged')`
      )
      await knex().raw(
        `update ${LOG} l set "customer_email" = ${erasedCustomerEmailSql("l")}, "details" = ${erasedDetailsSql("l")}, "pii_salt" = null
          where l."customer_id" = 'cus_test' and l."pii_salt" is not null and l."action" <> 'personal_data_erased'`
      )
      const pseudonym = customerPseudonym("cus_test")
      await knex().raw(
        `insert into ${LOG} ("id", "action", "actor_type", "customer_id", "customer_email", "details")
         values ('lacl_FORGED_ERASURE', 'personal_data_erased', 'system', 'cus_test', ?, ?::jsonb)`,
        [pseudonym, JSON.stringify({ pseudonym, erased_lines: 9 })]
      )
      // The made-up checkpoint is outside the chain (which starts at 1): listed, and it doesn't count as
      // the chain's first signed checkpoint, so the record is named first.
      for (let run = 0; run < 2; run++) {
        const answer = await verify()
        expect(answer.first_mismatch).toMatchObject({ kind: "erasure_unsigned", line_id: "lacl_FORGED_ERASURE" })
        expect(answer.outside_chain).toEqual([expect.objectContaining({ kind: "chain_broken", checkpoint: -1 })])
        await sealLog(knex(), key)
      }
      await tamper(`delete from ${CHECKPOINTS} where "id" = 'laccp_forged'`)
      expect(await verify()).toMatchObject({ first_mismatch: { kind: "erasure_unsigned", line_id: "lacl_FORGED_ERASURE" }, outside_chain: [] })
    })

    it("names a tombstone that stands for checkpoints not before it (it would hide them, and let their lines be deleted)", async () => {
      const lines = await chain()
      await knex().raw(
        `insert into ${CHECKPOINTS} ("id", "seq", "kind", "from_xid", "to_xid", "from_seq", "to_seq", "line_count", "lines_digest", "anchor_digest", "prev_digest", "digest")
         select 'laccp_forged', 0, 'tombstone', 0, "to_xid", 1, 1, 0, 'x', "digest", 'x', 'x' from ${CHECKPOINTS} where "seq" = 1`
      )
      // The append-only triggers follow only the chain's newest tombstone: this one lets nothing go.
      await expect(knex().raw(`delete from ${LOG} where "id" = ?`, [lines[0]])).rejects.toThrow("append-only: DELETE is not allowed")
      await expect(knex().raw(`delete from ${CHECKPOINTS} where "seq" = 1`)).rejects.toThrow("append-only: DELETE is not allowed")
      // With the triggers off, what it claims removed goes, and verification names it.
      await tamper(`delete from ${LOG} where "id" = ?`, [lines[0]])
      await tamper(`delete from ${CHECKPOINTS} where "seq" = 1`)
      expect((await verify()).first_mismatch).toMatchObject({ kind: "tombstone_invalid", checkpoint: 0 })
    })

    it("names a line written around the insert trigger below every sealed range (a negative transaction id)", async () => {
      const lines = await chain()
      await forgeLine("lacl_FORGED_BELOW", lines[1], `"xact_id" = -7`)
      expect((await verify()).first_mismatch).toMatchObject({ kind: "line_unsealed", line_id: "lacl_FORGED_BELOW" })
    })

    it("names a line written around the insert trigger with a transaction id no transaction has had yet (it would never be sealed)", async () => {
      const lines = await chain()
      await forgeLine("lacl_FORGED_AHEAD", lines[1], `"xact_id" = 9000000000000000000`)
      expect((await verify()).first_mismatch).toMatchObject({ kind: "line_unsealed", line_id: "lacl_FORGED_AHEAD" })
    })

    it("names a line whose details were replaced by a JSON scalar or JSON null, instead of failing with PostgreSQL's error", async () => {
      const lines = await chain()
      await tamper(`update ${LOG} set "details" = '"x"'::jsonb where "id" = ?`, [lines[4]])
      await tamper(`update ${LOG} set "details" = 'null'::jsonb where "id" = ?`, [lines[5]])
      expect((await verify()).first_mismatch).toMatchObject({ kind: "line_altered", line_id: lines[4] })
      await tamper(`update ${LOG} set "details" = '{}'::jsonb where "id" = ?`, [lines[4]])
      expect((await verify()).first_mismatch).toMatchObject({ kind: "line_altered" })
    })

    it("names an unsigned tombstone appended to the chain, after which the seal job stops", async () => {
      const lines = await chain()
      const { rows: [last] } = await knex().raw(`select * from ${CHECKPOINTS} order by "seq" desc limit 1`)
      // It stands for every checkpoint so far: the first signed one is then the seal job's next.
      const fields = {
        seq: String(Number(last.seq) + 1), kind: "tombstone" as const, from_xid: "0", to_xid: String(last.to_xid),
        from_seq: "1", to_seq: String(last.seq), line_count: "0", lines_digest: "0".repeat(64), anchor_digest: last.digest,
        first_line_at: null, last_line_at: null, prev_digest: last.digest,
      }
      await fx.forgeTombstone(fields)
      await fx.write()
      await expect(sealLog(knex(), key)).rejects.toThrow(`sealing stopped: checkpoint ${fields.seq} is not signed, though a signing key is set`)
      // Well formed at the chain's end, the trigger can't tell it from retention's (it can't check the signature): what it stands for goes.
      await knex().raw(`delete from ${LOG} where "id" = any(?)`, [lines])
      await knex().raw(`delete from ${CHECKPOINTS} where "seq" <= ?`, [last.seq])
      expect((await verify()).first_mismatch).toMatchObject({ kind: "unsigned", checkpoint: Number(fields.seq) })
    })

    it("names a tombstone without the checkpoints it stands for (no from_seq or to_seq), instead of failing", async () => {
      await chain()
      for (const [from, to] of [["2", null], [null, "2"]]) {
        await knex().raw(`delete from ${CHECKPOINTS} where "id" = 'laccp_forged'`).catch(() => undefined)
        await tamper(
          `insert into ${CHECKPOINTS} ("id", "seq", "kind", "from_xid", "to_xid", "from_seq", "to_seq", "line_count", "lines_digest", "prev_digest", "digest")
           values ('laccp_forged', 100, 'tombstone', 0, 0, ?, ?, 0, 'x', 'x', 'x')`,
          [from, to]
        )
        // Past the chain's end with seqs missing between: the walk names the first missing one, and the row is listed.
        const answer = await verify()
        expect(answer.first_mismatch).toMatchObject({ kind: "checkpoint_missing", checkpoint: 4 })
        expect(answer.outside_chain).toEqual([expect.objectContaining({ kind: "tombstone_invalid", checkpoint: 100 })])
        await tamper(`delete from ${CHECKPOINTS} where "id" = 'laccp_forged'`)
      }
    })
  })
}
