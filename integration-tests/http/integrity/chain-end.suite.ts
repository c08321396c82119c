import { purgeLog, sealLog, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import { checkpointDigest } from "../../../src/modules/login-as-customer/log-integrity/checkpoint"
import type { SuiteContext } from "../../helpers/suite"
import { CHECKPOINTS, integrityFixtures, key, LOG } from "./integrity-helpers"

/**
 * Rows inserted into the checkpoint table by SQL (a plain INSERT is all the
 * append-only triggers allow) past the chain's end, or outside it: the seal
 * job doesn't chain onto them, Log health doesn't offer them as the
 * checkpoint to keep nor count lines as sealed by their ranges, and the
 * append-only trigger lets retention delete only what the chain's newest
 * tombstone stands for.
 */
export default function chainEndSuite(context: SuiteContext) {
  const fx = integrityFixtures(context)
  const { knex, tamper, chain, write, ids } = fx
  const health = async () => (await context.api.get("/admin/login-as-customer/log/health", fx.admin.headers)).data.health
  const newest = async () =>
    (await knex().raw(`select "seq"::int as "seq", "digest" from ${CHECKPOINTS} where "seq" >= 1 order by "seq" desc limit 1`)).rows[0]

  /** A row inserted by SQL with the given seq and fields, its digest made to be its own. */
  const insertRow = async (fields: Record<string, string | null>) => {
    const row = {
      kind: "seal", from_xid: "0", to_xid: "1000000000000", from_seq: null, to_seq: null, line_count: "0",
      lines_digest: "0".repeat(64), anchor_digest: null, line_ids_digest: null, first_line_at: null, last_line_at: null,
      prev_digest: "0".repeat(64), seq: "0", key_id: null, signature: null, ...fields,
    }
    await knex().raw(
      `insert into ${CHECKPOINTS} ("id", "seq", "kind", "from_xid", "to_xid", "from_seq", "to_seq", "line_count", "lines_digest", "anchor_digest", "prev_digest", "digest", "key_id", "signature")
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [`laccp_sql${row.seq}`, row.seq, row.kind, row.from_xid, row.to_xid, row.from_seq, row.to_seq, row.line_count,
        row.lines_digest, row.anchor_digest, row.prev_digest, checkpointDigest(row), row.key_id, row.signature]
    )
  }
  const refusedDelete = (sql: string, bindings: unknown[]) =>
    knex().raw(sql, bindings).then(() => "deleted", (error: Error) => error.message.replace(/^.* - /, ""))

  it("lets no line or seal be deleted under a tombstone row outside the chain or standing for checkpoints after itself", async () => {
    const lines = await chain()
    const last = await newest()
    const rows: Array<Record<string, string | null>> = [
      // Outside the chain: seq 0.
      { seq: "0", kind: "tombstone", from_seq: "1", to_seq: String(last.seq) },
      // At the chain's end, standing for itself and what comes after it.
      { seq: String(last.seq + 1), kind: "tombstone", from_seq: "1", to_seq: String(last.seq + 5), prev_digest: last.digest, anchor_digest: last.digest },
    ]
    for (const row of rows) {
      await insertRow(row)
      expect({ row: row.seq, line: await refusedDelete(`delete from ${LOG} where "id" = ?`, [lines[0]]) }).toEqual({
        row: row.seq,
        line: "login_as_customer_log_entry is append-only: DELETE is not allowed",
      })
      expect({ row: row.seq, seal: await refusedDelete(`delete from ${CHECKPOINTS} where "seq" = 1`, []) }).toEqual({
        row: row.seq,
        seal: "login_as_customer_log_checkpoint is append-only: DELETE is not allowed",
      })
      await tamper(`delete from ${CHECKPOINTS} where "id" = ?`, [`laccp_sql${row.seq}`])
    }
    expect(await ids()).toEqual(lines)

    // Retention's own tombstone still lets exactly what it stands for go.
    const { rows: [{ seals }] } = await knex().raw(`select count(*)::int as "seals" from ${CHECKPOINTS}`)
    const purged = await purgeLog(knex(), key, 1, { now: new Date(Date.now() + 2 * 86_400_000) })
    expect(purged).toMatchObject({ removed_lines: lines.length, removed_checkpoints: seals })
    expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, removed_lines: lines.length })
  })

  type Last = { seq: number; digest: string }
  it.each([
    ["far past the chain's end, with a range far ahead", (last: Last) => ({ seq: String(last.seq + 1000), prev_digest: last.digest }),
      (seq: number) => `checkpoint ${seq} is not signed, though a signing key is set`,
      (seq: number) => `checkpoint ${seq} follows no checkpoint: ${seq - 1} is missing`],
    ["at the chain's end, chained to it but unsigned", (last: Last) => ({ seq: String(last.seq + 1), prev_digest: last.digest }),
      (seq: number) => `checkpoint ${seq} is not signed, though a signing key is set`, null],
    ["at the chain's end, not chained to it", (last: Last) => ({ seq: String(last.seq + 1) }),
      (seq: number) => `checkpoint ${seq} is not signed, though a signing key is set`,
      (seq: number) => `checkpoint ${seq} does not follow the checkpoint before it`],
    ["at the chain's end, chained to it, with a made-up signature",
      (last: Last) => ({ seq: String(last.seq + 1), prev_digest: last.digest, key_id: key.id, signature: "ab".repeat(32) }),
      (seq: number) => `checkpoint ${seq} is not signed with this key`, null],
  ])("stops sealing after a row inserted %s, and Log health keeps the chain's own newest seal", async (_what, fields, reason, withoutKey) => {
    await chain()
    const last = await newest()
    const row = fields(last)
    const seq = Number(row.seq)
    await insertRow(row)
    await write()
    await write()

    await expect(sealLog(knex(), key)).rejects.toThrow(
      `Login as Customer: sealing stopped: ${reason(seq)}, so the seal job can't chain onto it; nothing was sealed. Verify the log`
    )
    expect(await health()).toMatchObject({
      last_seal: { seq: last.seq, digest: last.digest },
      unsealed_lines: 2,
      sealing_stopped: { seq, reason: reason(seq) },
    })
    expect((await verifyLog(knex(), key)).verified).toBe(false)
    // Retention doesn't chain a tombstone onto it either.
    const lines = await ids()
    await expect(purgeLog(knex(), key, 1, { now: new Date(Date.now() + 2 * 86_400_000) })).rejects.toThrow(
      /^Login as Customer: retention stopped: .*; nothing was removed\./
    )
    expect(await ids()).toEqual(lines)
    if (withoutKey) {
      // Without a key, by the link alone.
      await expect(sealLog(knex(), null)).rejects.toThrow(`Login as Customer: sealing stopped: ${withoutKey(seq)}, so`)
    }

    // Once the row is gone, sealing goes on from the chain's own end.
    await tamper(`delete from ${CHECKPOINTS} where "id" = ?`, [`laccp_sql${seq}`])
    expect(await sealLog(knex(), key)).toMatchObject({ seq: String(last.seq + 1), line_count: "2" })
    expect(await health()).toMatchObject({ unsealed_lines: 0, sealing_stopped: null, last_seal: { seq: last.seq + 1 } })
    expect(await verifyLog(knex(), key)).toMatchObject({ verified: true })
  })

  it("names the newest row a checkpoint changed by SQL, and seals on after a chain that had no key yet", async () => {
    await chain()
    const last = await newest()
    await tamper(`update ${CHECKPOINTS} set "line_count" = "line_count" + 1 where "seq" = ?`, [last.seq])
    const reason = `checkpoint ${last.seq} was changed after it was written`
    await expect(sealLog(knex(), key)).rejects.toThrow(reason)
    expect(await health()).toMatchObject({ last_seal: { seq: last.seq - 1 }, sealing_stopped: { seq: last.seq, reason } })

    // A log sealed without a key, then given one: its unsigned checkpoints are the chain's own.
    await tamper(`delete from ${CHECKPOINTS}`)
    await tamper(`delete from ${LOG}`)
    await write()
    await sealLog(knex(), null)
    await write()
    expect(await sealLog(knex(), key)).toMatchObject({ seq: "2" })
    expect(await health()).toMatchObject({ sealing_stopped: null, last_seal: { seq: 2, signed: true } })
  })
}
