import { lastCheckpoint, purgeLog, sealLog, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import { Client } from "pg"
import { eventually, refused } from "../../helpers/seed"
import type { SuiteContext } from "../../helpers/suite"
import { CHECKPOINTS, integrityFixtures, key, LOG } from "./integrity-helpers"

/** Sealing and verifying the chain, concurrent writers, retention. */
export default function chainSuite(context: SuiteContext) {
  const { api } = context
  const fx = integrityFixtures(context)
  const { knex, write, ids, chain } = fx

  it("verifies a sealed log through its route, and names how far", async () => {
    const lines = await chain()
    const { data } = await api.post("/admin/login-as-customer/log/verify", {}, fx.admin.headers)
    expect(data).toMatchObject({ verified: true, signed: true, lines: lines.length, first_mismatch: null })
    expect(data.checkpoints).toBeGreaterThanOrEqual(1)
    const { rows } = await knex().raw(`select max(created_at) as "max" from ${LOG}`)
    expect(new Date(data.verified_through).getTime()).toBe(new Date(rows[0].max).getTime())
    const { data: health } = await api.get("/admin/login-as-customer/log/health", fx.admin.headers)
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

  it("seals past a transaction left open in another database of the same server", async () => {
    // Another application (or another store) on the same PostgreSQL server holds a transaction open.
    const other = new Client({
      host: process.env.DB_HOST,
      port: Number(process.env.DB_PORT),
      user: process.env.DB_USERNAME,
      password: process.env.DB_PASSWORD,
      database: "postgres",
    })
    await other.connect()
    try {
      await other.query("begin")
      await other.query("select pg_catalog.pg_current_xact_id()")
      for (let i = 0; i < 3; i++) await write()
      await sealLog(knex(), key)
      expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, lines: 3, unsealed_lines: 0 })
    } finally {
      await other.query("rollback").catch(() => undefined)
      await other.end()
    }
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

  it("seals on from the young seals a retention run leaves, past its tombstone, nothing sealed twice; the chain verifies", async () => {
    await chain()
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    const cutoff = Date.now()
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    await write()
    const young = await sealLog(knex(), key)
    // Only the three seals before the cutoff are old: the tombstone comes after the young one.
    const purged = await purgeLog(knex(), key, 1, { now: new Date(cutoff + 86_400_000) })
    expect(purged.tombstone).toMatchObject({ seq: String(Number(young!.seq) + 1), from_seq: "1", to_seq: "3" })
    await write()
    const health = async () => (await api.get("/admin/login-as-customer/log/health", fx.admin.headers)).data.health
    expect(await health()).toMatchObject({ unsealed_lines: 1, removed_lines: 9 })
    const next = await sealLog(knex(), key)
    expect(next).toMatchObject({ from_xid: young!.to_xid, line_count: "1" })
    expect(await health()).toMatchObject({ unsealed_lines: 0 })
    for (const full of [false, true]) {
      expect(await verifyLog(knex(), key, { full })).toMatchObject({ verified: true, lines: 2, removed_lines: 9, unsealed_lines: 0 })
    }
  })

  it("seals on after two retention runs with no seal between them, where the last seal ended; Log health says how far lines are sealed", async () => {
    await chain()
    const seals = (await knex().raw(`select "seq", "to_xid", "last_line_at" from ${CHECKPOINTS} order by "seq"`)).rows
    const health = async () => (await api.get("/admin/login-as-customer/log/health", fx.admin.headers)).data.health
    // Run 1: only the first seal is old (the second's newest line is the cutoff, which keeps it).
    const first = await purgeLog(knex(), key, 1, { now: new Date(new Date(seals[1].last_line_at).getTime() + 86_400_000) })
    expect(first.tombstone).toMatchObject({ seq: "4", from_seq: "1", to_seq: "1" })
    expect(await health()).toMatchObject({ last_seal: { seq: 4, through: seals[2].last_line_at }, unsealed_lines: 0 })
    // Run 2, nothing sealed since: the young seals go too, tombstone 4 stays between.
    const second = await purgeLog(knex(), key, 1, { now: new Date(Date.now() + 2 * 86_400_000) })
    expect(second.tombstone).toMatchObject({ seq: "5", from_seq: "2", to_seq: "3", to_xid: seals[2].to_xid })
    expect(await health()).toMatchObject({ last_seal: { seq: 5, through: seals[2].last_line_at }, unsealed_lines: 0, removed_lines: 9 })
    await write()
    expect(await health()).toMatchObject({ unsealed_lines: 1 })
    const next = await sealLog(knex(), key)
    expect(next).toMatchObject({ seq: "6", from_xid: seals[2].to_xid, line_count: "1" })
    for (const full of [false, true]) {
      expect(await verifyLog(knex(), key, { full })).toMatchObject({ verified: true, lines: 1, removed_lines: 9, unsealed_lines: 0 })
    }
    // Retention goes on from there.
    const third = await purgeLog(knex(), key, 1, { now: new Date(Date.now() + 2 * 86_400_000) })
    expect(third).toMatchObject({ tombstone: { seq: "7", from_seq: "4", to_seq: "6" }, removed_lines: 1 })
    await write()
    expect(await sealLog(knex(), key)).toMatchObject({ seq: "8", from_xid: next!.to_xid, line_count: "1" })
    expect(await verifyLog(knex(), key, { full: true })).toMatchObject({ verified: true, lines: 1, removed_lines: 10 })
  })

  it("keeps the retention as a setting: forever by default, whole days, shown with the log's health", async () => {
    const route = "/admin/login-as-customer/settings"
    expect((await api.get(route, fx.admin.headers)).data.settings.log_retention_days).toBeNull()
    for (const bad of [0, -1, 1.5, "30", 36_501]) {
      const refusal = await refused(api.post(route, { log_retention_days: bad }, fx.admin.headers))
      expect({ bad, status: refusal.status, message: refusal.data.message }).toEqual({
        bad,
        status: 400,
        message: expect.stringContaining("log_retention_days"),
      })
    }
    const { data } = await api.post(route, { log_retention_days: 400 }, fx.admin.headers)
    expect(data.settings.log_retention_days).toBe(400)
    expect((await api.get("/admin/login-as-customer/log/health", fx.admin.headers)).data.health.retention_days).toBe(400)
    expect((await api.post(route, { log_retention_days: null }, fx.admin.headers)).data.settings.log_retention_days).toBeNull()
  })

  it("has the database write a line for every change of the retention, by SQL as well as in the admin; the chain verifies", async () => {
    const route = "/admin/login-as-customer/settings"
    const retentionLines = async () =>
      (
        await knex().raw(
          `select "actor_type", "actor_id", "details" from ${LOG}
            where "action" = 'settings_updated' and "details"->'changes'->'log_retention_days' is not null order by "created_at", "id"`
        )
      ).rows
    await api.post(route, { log_retention_days: 400 }, fx.admin.headers)
    const byAdmin = await retentionLines()
    expect(byAdmin.map((l: { actor_type: string }) => l.actor_type).sort()).toEqual(["system", "user"])
    expect(byAdmin.find((l: { actor_type: string }) => l.actor_type === "system")).toEqual({
      actor_type: "system",
      actor_id: "database",
      details: {
        changes: { log_retention_days: { from: null, to: 400 } },
        source: "database",
        statement: expect.stringMatching(/^(INSERT|UPDATE)$/),
        role: expect.any(String),
      },
    })

    // By SQL, as someone with the app's database credentials could: on record, though no route was called.
    await knex().raw(`update "login_as_customer_settings" set "log_retention_days" = 1`)
    await knex().raw(`update "login_as_customer_settings" set "require_reason" = not "require_reason"`)
    await knex().raw(`delete from "login_as_customer_settings"`)
    await api.post(route, { log_retention_days: 30 }, fx.admin.headers)
    // TRUNCATE fires no row trigger: a statement trigger says what the retention was.
    await knex().raw(`truncate "login_as_customer_settings"`)
    const all = await retentionLines()
    const database = all.slice(byAdmin.length).filter((l: { actor_type: string }) => l.actor_type === "system")
    expect(database.map((l: { details: any }) => [l.details.statement, l.details.changes.log_retention_days])).toEqual([
      ["UPDATE", { from: 400, to: 1 }],
      ["DELETE", { from: 1, to: null }],
      ["INSERT", { from: null, to: 30 }],
      ["TRUNCATE", { from: 30, to: null }],
    ])
    await sealLog(knex(), key)
    expect(await verifyLog(knex(), key, { full: true })).toMatchObject({ verified: true, unsealed_lines: 0 })
  })
}
