import { LogKey, purgeLog, sealLog, sign, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import { checkpointDigest, lineIdsDigest } from "../../../src/modules/login-as-customer/log-integrity/checkpoint"
import type { SuiteContext } from "../../helpers/suite"
import { CHECKPOINTS, integrityFixtures, key, LOG } from "./integrity-helpers"

/**
 * What a second review with the database credentials (no key) found after
 * checkpoints could be kept outside the database: rows inserted into the
 * checkpoint table outside the chain (a plain INSERT is all the append-only
 * triggers allow) must neither stop sealing nor have retention delete lines,
 * and a checkpoint's list of line ids, which names a lost or added line,
 * names one only while its digest covers it.
 */
export default function outsideChainSuite(context: SuiteContext) {
  const fx = integrityFixtures(context)
  const { knex, tamper, chain, write, ids } = fx
  const health = async () => (await context.api.get("/admin/login-as-customer/log/health", fx.admin.headers)).data.health

  /** A seal row at seq 0 whose range reaches far ahead, inserted without switching any trigger off. */
  const junkSeal = () =>
    knex().raw(
      `insert into ${CHECKPOINTS} ("id", "seq", "kind", "from_xid", "to_xid", "line_count", "lines_digest", "prev_digest", "digest")
       values ('laccp_junk', 0, 'seal', 0, 1000000000000, 0, 'a', 'b', 'c')`
    )

  it("keeps sealing past a seal row inserted at seq 0, counts the lines waiting, and verification names the row", async () => {
    await chain()
    await junkSeal()
    await write()
    await write()
    expect((await health()).unsealed_lines).toBe(2)
    const sealed = await sealLog(knex(), key)
    expect(sealed).toMatchObject({ seq: "4", line_count: "2" })
    expect(await health()).toMatchObject({ unsealed_lines: 0, last_seal: { seq: 4, digest: sealed!.digest } })
    for (const full of [false, true]) {
      expect(await verifyLog(knex(), key, { full })).toMatchObject({
        verified: false,
        first_mismatch: { kind: "chain_broken", checkpoint: 0, message: "a checkpoint with seq 0 was added outside the chain, which starts at 1" },
      })
    }
  })

  it("walks the chain past rows inserted outside it (below seq 1, a tombstone at a seq retention freed): a line changed after them is named first, and they are listed", async () => {
    const lines = await chain()
    const seals = (await knex().raw(`select "last_line_at" from ${CHECKPOINTS} order by "seq"`)).rows
    // Seals 1 and 2 are old (the third's newest line is the cutoff): tombstone 4 stands for them, seqs 1 and 2 are free.
    const purged = await purgeLog(knex(), key, 1, { now: new Date(new Date(seals[2].last_line_at).getTime() + 86_400_000) })
    expect(purged.tombstone).toMatchObject({ seq: "4", from_seq: "1", to_seq: "2" })
    await junkSeal()
    const { rows: [tombstone] } = await knex().raw(`select * from ${CHECKPOINTS} where "seq" = 4`)
    const fields = {
      seq: "2", kind: "tombstone" as const, from_xid: "0", to_xid: String(tombstone.to_xid), from_seq: "1", to_seq: "1",
      line_count: "3", lines_digest: "0".repeat(64), anchor_digest: tombstone.anchor_digest, line_ids_digest: null,
      first_line_at: null, last_line_at: null, prev_digest: tombstone.prev_digest,
    }
    await fx.forgeTombstone(fields)
    // The append-only triggers refuse to delete either.
    await expect(knex().raw(`delete from ${CHECKPOINTS} where "seq" <= 2`)).rejects.toThrow("append-only: DELETE is not allowed")
    const listed = [
      { kind: "chain_broken", checkpoint: 0 },
      { kind: "unsigned", checkpoint: 2 },
    ]
    for (const full of [false, true]) {
      const answer = await verifyLog(knex(), key, { full })
      expect(answer).toMatchObject({ verified: false, first_mismatch: listed[0], lines: 3, removed_lines: 6 })
      expect(answer.outside_chain).toEqual(listed.map((row) => expect.objectContaining(row)))
    }
    await tamper(`update ${LOG} set "user_email" = 'someone.else@example.com' where "id" = ?`, [lines[7]])
    for (const full of [false, true]) {
      const answer = await verifyLog(knex(), key, { full })
      expect(answer).toMatchObject({ verified: false, first_mismatch: { kind: "line_altered", checkpoint: 3, line_id: lines[7] } })
      expect(answer.outside_chain).toEqual(listed.map((row) => expect.objectContaining(row)))
    }
  })

  it("retention deletes nothing on a tombstone inserted by SQL (outside the chain, or unsigned at its end), and says why", async () => {
    const lines = await chain()
    const later = { now: new Date(Date.now() + 2 * 86_400_000) }
    await knex().raw(
      `insert into ${CHECKPOINTS} ("id", "seq", "kind", "from_xid", "to_xid", "from_seq", "to_seq", "line_count", "lines_digest", "prev_digest", "digest")
       values ('laccp_junk', 0, 'tombstone', 0, 1000000000000, 1, 1000, 0, 'a', 'b', 'c')`
    )
    // Outside the chain (seq 0): retention goes by the chain's own tombstones, and there are none yet.
    await purgeLog(knex(), key, null, later)
    expect(await ids()).toEqual(lines)
    await tamper(`delete from ${CHECKPOINTS} where "id" = 'laccp_junk'`)

    const { rows: [last] } = await knex().raw(`select * from ${CHECKPOINTS} order by "seq" desc limit 1`)
    const fields = {
      seq: String(Number(last.seq) + 1), kind: "tombstone" as const, from_xid: "0", to_xid: "1000000000000",
      from_seq: "1", to_seq: String(last.seq), line_count: "9", lines_digest: "0".repeat(64), anchor_digest: last.digest,
      line_ids_digest: null, first_line_at: null, last_line_at: null, prev_digest: last.digest,
    }
    await fx.forgeTombstone(fields)
    for (const days of [null, 1]) {
      await expect(purgeLog(knex(), key, days, later)).rejects.toThrow(
        `Login as Customer: retention stopped: tombstone checkpoint ${fields.seq} is not one retention wrote; nothing was removed.`
      )
    }
    expect(await ids()).toEqual(lines)
  })

  describe.each([
    ["quick", false],
    ["full", true],
  ])("%s verification", (_mode, full) => {
    const verify = (k: LogKey | null = key) => verifyLog(knex(), k, { full })

    it("names no line from a checkpoint's id list changed beside a deleted line (the list is covered by the digest)", async () => {
      await chain()
      const { rows: [cp] } = await knex().raw(`select "line_ids", "line_ids_digest" from ${CHECKPOINTS} where "seq" = 2`)
      expect(cp.line_ids_digest).toBe(lineIdsDigest(cp.line_ids))
      await tamper(`delete from ${LOG} where "id" = ?`, [cp.line_ids[1]])
      expect((await verify()).first_mismatch).toMatchObject({ kind: "line_missing", line_id: cp.line_ids[1] })

      for (const list of [[cp.line_ids[0], cp.line_ids[2], "lacl_INNOCENT"], null, [], [null]]) {
        await tamper(`update ${CHECKPOINTS} set "line_ids" = ? where "seq" = 2`, [list])
        expect({ list, mismatch: (await verify()).first_mismatch }).toEqual({
          list,
          mismatch: {
            kind: "lines_changed",
            checkpoint: 2,
            line_id: null,
            message: "the lines of checkpoint 2 are not the ones it sealed, and its list of their ids was changed too: no line can be named",
          },
        })
      }
    })

    it("still verifies checkpoints written before the id list was covered, and names one whose list digest was stripped", async () => {
      await chain()
      // As a checkpoint of an earlier version was written: no digest of its list, the digest and signature without it.
      const { rows: [cp] } = await knex().raw(`select * from ${CHECKPOINTS} where "seq" = 1`)
      const older = checkpointDigest({ ...cp, seq: String(cp.seq), line_ids_digest: null, guards_digest: null })
      await tamper(`update ${CHECKPOINTS} set "line_ids_digest" = null, "guards_digest" = null, "digest" = ?, "signature" = ? where "seq" = 1`, [older, sign(key, older)])
      await tamper(`update ${CHECKPOINTS} set "prev_digest" = ?, "digest" = ?, "signature" = ? where "seq" = 2`, await relink(2, older))
      await tamper(`update ${CHECKPOINTS} set "prev_digest" = ?, "digest" = ?, "signature" = ? where "seq" = 3`, await relink(3))
      expect(await verify()).toMatchObject({ verified: true, checkpoints: 3 })

      // A covered list's digest removed, to pass as an older checkpoint: the digest no longer matches.
      await tamper(`update ${CHECKPOINTS} set "line_ids_digest" = null where "seq" = 2`)
      expect((await verify()).first_mismatch).toMatchObject({ kind: "checkpoint_altered", checkpoint: 2 })
    })
  })

  /** Checkpoint `seq` chained again to `prev` (default: the digest of the one before it now): its prev_digest, digest and signature. */
  async function relink(seq: number, prev: string | null = null): Promise<string[]> {
    const { rows: [cp] } = await knex().raw(`select * from ${CHECKPOINTS} where "seq" = ?`, [seq])
    const { rows: [before] } = await knex().raw(`select "digest" from ${CHECKPOINTS} where "seq" = ?`, [seq - 1])
    const prevDigest = prev ?? before.digest
    const digest = checkpointDigest({ ...cp, seq: String(cp.seq), prev_digest: prevDigest })
    return [prevDigest, digest, sign(key, digest)]
  }

  it("names a seq that is in the chain twice (its unique index dropped), whichever row comes first", async () => {
    await chain()
    await knex().raw(`drop index "IDX_login_as_customer_log_checkpoint_seq_unique"`)
    try {
      await knex().raw(
        `insert into ${CHECKPOINTS} select (jsonb_populate_record(null::${CHECKPOINTS}, to_jsonb(c) || '{"id": "laccp_twice"}')).*
           from ${CHECKPOINTS} c where c."seq" = 2`
      )
      for (const full of [false, true]) {
        expect((await verifyLog(knex(), key, { full })).first_mismatch).toEqual({
          kind: "chain_broken",
          checkpoint: 2,
          line_id: null,
          message: "checkpoint 2 is in the chain twice",
        })
      }
    } finally {
      await tamper(`delete from ${CHECKPOINTS} where "id" = 'laccp_twice'`)
      await knex().raw(`create unique index "IDX_login_as_customer_log_checkpoint_seq_unique" on ${CHECKPOINTS} ("seq")`)
    }
  })

  it("compares a kept checkpoint with a tombstone only once the walk has checked that tombstone", async () => {
    await chain()
    const { rows: [kept] } = await knex().raw(`select "seq"::int as "seq", "digest" from ${CHECKPOINTS} where "seq" = 3`)
    // A tombstone made up by SQL that ends at the kept checkpoint and carries its real digest.
    await knex().raw(
      `insert into ${CHECKPOINTS} ("id", "seq", "kind", "from_xid", "to_xid", "from_seq", "to_seq", "line_count", "lines_digest", "anchor_digest", "prev_digest", "digest")
       values ('laccp_forged', 4, 'tombstone', 0, 1, 1, 3, 9, ?, ?, ?, ?)`,
      ["0".repeat(64), kept.digest, kept.digest, "1".repeat(64)]
    )
    // The walk checks the real checkpoint 3 itself, then names the tombstone.
    expect(await verifyLog(knex(), key, { anchor: kept })).toMatchObject({
      verified: false,
      anchor: { seq: 3, status: "matched" },
      first_mismatch: { kind: "checkpoint_altered", checkpoint: 4 },
    })
    // Without it, the kept digest the tombstone carries proves nothing: the tombstone claims the missing one, and is named.
    await tamper(`delete from ${CHECKPOINTS} where "seq" = 3`)
    expect(await verifyLog(knex(), key, { anchor: kept })).toMatchObject({
      verified: false,
      anchor: { seq: 3, status: "unchecked" },
      first_mismatch: { kind: "checkpoint_altered", checkpoint: 4 },
    })
  })

  it("retention signs no tombstone over checkpoints someone changed or added: it stops and removes nothing", async () => {
    const later = { now: new Date(Date.now() + 2 * 86_400_000) }
    const attempts: Array<[string, () => Promise<unknown>, string]> = [
      [
        "seals made old and the newest one's range stretched, with the checkpoint table's triggers off",
        () =>
          tamper(`update ${CHECKPOINTS} set "last_line_at" = '2020-01-01T00:00:00.000000Z',
                    "to_xid" = case when "seq" = (select max("seq") from ${CHECKPOINTS}) then 4000000000 else "to_xid" end`),
        "checkpoint 1 was changed after it was written",
      ],
      [
        "a copy of the newest seal with a range far ahead, its seq twice (unique index dropped), no trigger off",
        async () => {
          await knex().raw(`drop index "IDX_login_as_customer_log_checkpoint_seq_unique"`)
          await knex().raw(
            `insert into ${CHECKPOINTS} select (jsonb_populate_record(null::${CHECKPOINTS}, to_jsonb(c) ||
               jsonb_build_object('id', 'laccp_dup', 'to_xid', 4000000000))).*
               from ${CHECKPOINTS} c where c."seq" = (select max("seq") from ${CHECKPOINTS})`
          )
        },
        "is missing or in the chain twice",
      ],
      ["a sealed line deleted, with the log's triggers off", async () => tamper(`delete from ${LOG} where "id" = (select min("id") from ${LOG})`), "the lines of checkpoint"],
    ]
    for (const [what, attack, says] of attempts) {
      await tamper(`delete from ${CHECKPOINTS}`)
      await tamper(`delete from ${LOG}`)
      await knex().raw(`create unique index if not exists "IDX_login_as_customer_log_checkpoint_seq_unique" on ${CHECKPOINTS} ("seq")`).catch(() => undefined)
      const lines = await chain()
      const { rows: before } = await knex().raw(`select "id" from ${CHECKPOINTS} order by "id"`)
      await attack()
      const refused = await purgeLog(knex(), key, 1, later).then(() => null, (error: Error) => error.message)
      expect({ what, refused }).toEqual({ what, refused: expect.stringContaining(says) })
      expect(refused).toMatch(/^Login as Customer: retention stopped: .*; nothing was removed\. Verify the log/)
      const remaining = await ids()
      expect(remaining.length).toBeGreaterThanOrEqual(lines.length - 1)
      const { rows: after } = await knex().raw(`select "id" from ${CHECKPOINTS} where "kind" = 'tombstone'`)
      expect({ what, tombstones: after }).toEqual({ what, tombstones: [] })
      expect(before.length).toBeGreaterThan(0)
    }
    await tamper(`delete from ${CHECKPOINTS} where "id" = 'laccp_dup'`)
    await knex().raw(`create unique index if not exists "IDX_login_as_customer_log_checkpoint_seq_unique" on ${CHECKPOINTS} ("seq")`)
  })

  it("reads no lines for seal rows inserted past a break in the seals' ranges: thousands of them, each reaching every line, answer at once", async () => {
    await chain()
    // Twenty thousand lines, and two thousand seal rows each with a range of its own reaching past them all.
    await knex().raw(
      `insert into ${LOG} ("id", "action", "actor_type", "customer_id", "customer_email", "details")
       select 'lacl_many' || g, 'store_action', 'system', 'cus_many', 'many@example.com', '{}'::jsonb from generate_series(1, 20000) g`
    )
    const { rows: [{ last }] } = await knex().raw(`select max("seq")::int as "last" from ${CHECKPOINTS}`)
    await knex().raw(
      `insert into ${CHECKPOINTS} ("id", "seq", "kind", "from_xid", "to_xid", "line_count", "lines_digest", "prev_digest", "digest")
       select 'laccp_many' || g, ? + g, 'seal', g, 4000000000, 0, 'x', 'x', 'x' from generate_series(1, 2000) g`,
      [last]
    )
    // Full verification would recompute every line for each of them: hours, before naming the first.
    expect((await verifyLog(knex(), key, { full: true })).first_mismatch).toMatchObject({ kind: "chain_broken", checkpoint: last + 1 })
    expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "chain_broken", checkpoint: last + 1 })
  })
}
