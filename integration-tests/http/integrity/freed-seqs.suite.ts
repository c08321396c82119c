import { purgeLog, sealLog, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import type { SuiteContext } from "../../helpers/suite"
import { CHECKPOINTS, integrityFixtures, key, LOG } from "./integrity-helpers"

const FAR = "9000000000000000000"

/**
 * Rows inserted by SQL at the seqs of the seals retention removed (free for
 * a plain INSERT, and never walked by verification), as a fifth review with
 * the database's credentials found: a seal or an empty-range tombstone there
 * with a range far ahead stopped every seal silently (Log health counted the
 * lines sealed), a made-up tombstone there changed the count of removed
 * lines, and a row at a seq past what an int holds made quick verification
 * answer 500.
 */
export default function freedSeqsSuite(context: SuiteContext) {
  const fx = integrityFixtures(context)
  const { knex, chain, write, tamper } = fx
  const health = async () => (await context.api.get("/admin/login-as-customer/log/health", fx.admin.headers)).data.health

  /** Three seals removed by retention (seqs 1 to 3 free), the tombstone at 4, and a seal of two lines after it at 5. */
  const afterRetention = async () => {
    const removed = await chain()
    const purged = await purgeLog(knex(), key, 1, { now: new Date(Date.now() + 2 * 86_400_000) })
    expect(purged).toMatchObject({ removed_lines: removed.length, tombstone: { seq: "4", from_seq: "1", to_seq: "3" } })
    await write()
    await write()
    expect(await sealLog(knex(), key)).toMatchObject({ seq: "5", line_count: "2" })
    return { removed: removed.length }
  }
  const insertRow = (row: Record<string, string | number>) =>
    knex().raw(
      `insert into ${CHECKPOINTS} ("id", "seq", "kind", "from_xid", "to_xid", "from_seq", "to_seq", "line_count", "lines_digest", "prev_digest", "digest")
       values (?, ?, ?, ?, ?, ?, ?, ?, 'x', 'x', 'x')`,
      [row.id, row.seq, row.kind, row.from_xid ?? 0, row.to_xid ?? FAR, row.from_seq ?? null, row.to_seq ?? null, row.line_count ?? 0]
    )

  it.each([
    ["a seal", { id: "laccp_fake_seal", seq: 1, kind: "seal" }],
    ["a tombstone of no checkpoint", { id: "laccp_fake_tomb", seq: 1, kind: "tombstone", from_seq: 1, to_seq: 0 }],
  ])("goes on sealing past %s inserted at a freed seq with a range far ahead, and Log health counts the lines waiting", async (_what, row) => {
    await afterRetention()
    await insertRow(row)
    await write()
    await write()
    await write()
    expect(await health()).toMatchObject({ unsealed_lines: 3, sealing_stopped: null, last_seal: { seq: 5 } })
    expect((await health()).oldest_unsealed_at).not.toBeNull()
    // The minute's seal job may have sealed them first: then its checkpoint is the one.
    const sealed =
      (await sealLog(knex(), key)) ??
      (await knex().raw(`select "seq"::text, "line_count"::text from ${CHECKPOINTS} order by "seq" desc limit 1`)).rows[0]
    expect(sealed).toMatchObject({ seq: "6", line_count: "3" })
    expect(await health()).toMatchObject({ unsealed_lines: 0, oldest_unsealed_at: null, last_seal: { seq: 6 } })
  })

  it("names a made-up tombstone at a freed seq, and counts only the lines retention removed", async () => {
    const { removed } = await afterRetention()
    // An empty range and a count of its own: before, it sorted first among the tombstones and was taken as one.
    await insertRow({ id: "laccp_fake_tomb", seq: 2, kind: "tombstone", from_seq: 1, to_seq: 0, to_xid: 0, line_count: -removed })
    expect((await health()).removed_lines).toBe(removed)
    for (const full of [false, true]) {
      expect(await verifyLog(knex(), key, { full })).toMatchObject({
        verified: false,
        first_mismatch: { kind: "tombstone_invalid", checkpoint: 2 },
      })
    }
  })

  it("names a tombstone at a freed seq standing for checkpoints before it but not written by retention", async () => {
    const { removed } = await afterRetention()
    await insertRow({ id: "laccp_fake_tomb", seq: 3, kind: "tombstone", from_seq: 1, to_seq: 2, line_count: 1000 })
    expect((await health()).removed_lines).toBe(removed)
    expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "checkpoint_altered", checkpoint: 3 })
  })

  it("goes on sealing past a seal inserted at the seq just before the tombstone, when the tombstone is the chain's newest row; verification names it", async () => {
    await chain()
    expect(await purgeLog(knex(), key, 1, { now: new Date(Date.now() + 2 * 86_400_000) })).toMatchObject({ tombstone: { seq: "4" } })
    // Taken as the checkpoint the tombstone follows, it made the tombstone look foreign: sealing stopped for good.
    await insertRow({ id: "laccp_before_tomb", seq: 3, kind: "seal", to_xid: 1 })
    await write()
    expect(await health()).toMatchObject({ sealing_stopped: null, last_seal: { seq: 4 }, unsealed_lines: 1 })
    expect(await sealLog(knex(), key)).toMatchObject({ seq: "5", line_count: "1" })
    for (const full of [false, true]) {
      expect((await verifyLog(knex(), key, { full })).first_mismatch).toMatchObject({ kind: "chain_broken", checkpoint: 3 })
    }
  })

  it("names a seal inserted at a freed seq with a range far ahead rather than answering index_mismatch", async () => {
    await afterRetention()
    await insertRow({ id: "laccp_fake_seal", seq: 1, kind: "seal", to_xid: "1000000000000" })
    await write()
    expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "chain_broken", checkpoint: 1 })
  })

  it("answers quick verification with the mismatch, not an error, for a row at a seq past what an int holds", async () => {
    await chain()
    await write()
    const { rows: [line] } = await knex().raw(`select "id" from ${LOG} order by "xact_id" desc, "id" desc limit 1`)
    await tamper(`update ${LOG} set "action" = 'nothing_happened' where "id" = ?`, [line.id])
    await insertRow({ id: "laccp_big", seq: "3000000000", kind: "seal" })
    const answer = await context.api.post("/admin/login-as-customer/log/verify", {}, fx.admin.headers)
    expect(answer.status).toBe(200)
    expect(answer.data).toMatchObject({ verified: false, first_mismatch: { kind: expect.any(String) } })
    expect((await health()).last_verification).toMatchObject({ verified: false })
  })
}
