import { purgeLog, sealLog, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import { lineDigestSql } from "../../../src/modules/login-as-customer/log-integrity/sql"
import type { SuiteContext } from "../../helpers/suite"
import { CHECKPOINTS, integrityFixtures, key, LOG } from "./integrity-helpers"

/**
 * What a third review with the database credentials (no key) found, with no
 * trigger switched off: a temporary table deciding what the append-only
 * trigger lets go, lines dated `infinity` or past the year 9999 making a
 * recent seal look old to retention, lines with ids of kilobytes stopping
 * every seal, and made-up times answering 500 from Log health.
 */
export default function sqlEdgesSuite(context: SuiteContext) {
  const fx = integrityFixtures(context)
  const { knex, chain, write, ids } = fx
  const health = () => context.api.get("/admin/login-as-customer/log/health", fx.admin.headers)
  /** A line written by a plain INSERT (the insert trigger stamps and hashes it), with the time given. */
  const insertLine = (id: string, createdAt: string) =>
    knex().raw(
      `insert into ${LOG} ("id", "action", "actor_type", "created_at", "updated_at") values (?, 'settings_updated', 'system', ?::timestamptz, now())`,
      [id, createdAt]
    )

  /** A line as written by a plain INSERT before Migration20261202180001: the time given, its digest computed over it. */
  const lineWrittenBefore = async (id: string, createdAt: string) => {
    await insertLine(id, "2026-01-01 00:00:00+00")
    await fx.tamper(`update ${LOG} set "created_at" = ?::timestamptz where "id" = ?`, [createdAt, id])
    await fx.tamper(`update ${LOG} l set "digest" = ${lineDigestSql("l")} where "id" = ?`, [id])
  }

  it("lets no DELETE through because of a temporary table named like the checkpoints, holding a made-up tombstone", async () => {
    const lines = await chain()
    const attempts = await knex().transaction(async (trx: any) => {
      await trx.raw(`create temporary table ${CHECKPOINTS} ("seq" bigint, "kind" text, "from_seq" bigint, "to_seq" bigint, "to_xid" bigint) on commit drop`)
      await trx.raw(`insert into pg_temp.${CHECKPOINTS} values (9223372036854775807, 'tombstone', 1, 9223372036854775806, 9223372036854775807)`)
      const attempt = async (sql: string, bindings: unknown[]) => {
        await trx.raw("savepoint attempt")
        return trx.raw(sql, bindings).then(
          () => "deleted",
          async (error: Error) => {
            await trx.raw("rollback to savepoint attempt")
            return error.message.replace(/^.* - /, "")
          }
        )
      }
      return [
        await attempt(`delete from public.${LOG} where "id" = ?`, [lines[0]]),
        await attempt(`delete from public.${CHECKPOINTS} where "seq" = 1`, []),
      ]
    })
    expect(attempts).toEqual([
      "login_as_customer_log_entry is append-only: DELETE is not allowed",
      "login_as_customer_log_checkpoint is append-only: DELETE is not allowed",
    ])
    expect(await ids()).toEqual(lines)
  })

  it("dates now a line a plain INSERT dates infinity, -infinity, in the year 10000 or a week ahead", async () => {
    const given = [
      "infinity",
      "-infinity",
      "10000-01-01 00:00:00+00",
      new Date(Date.now() + 7 * 86_400_000).toISOString(),
      "4713-01-01 00:00:00+00 BC",
      "1999-12-31 23:59:59+00",
    ]
    for (const [i, time] of given.entries()) await insertLine(`lacl_DATED_${i}`, time)
    const past = "2020-01-02T03:04:05.000Z"
    await insertLine("lacl_PAST", past)
    const { rows } = await knex().raw(
      `select "id", "created_at", abs(extract(epoch from "created_at" - now())) < 60 as "now" from ${LOG} where "id" like 'lacl\\_DATED\\_%' or "id" = 'lacl_PAST' order by "id"`
    )
    expect(rows.map((r: { id: string; now: boolean }) => [r.id, r.now])).toEqual([
      ["lacl_DATED_0", true], ["lacl_DATED_1", true], ["lacl_DATED_2", true], ["lacl_DATED_3", true],
      ["lacl_DATED_4", true], ["lacl_DATED_5", true], ["lacl_PAST", false],
    ])
    expect(new Date(rows[6].created_at).toISOString()).toBe(past)
    await sealLog(knex(), key)
    expect(await verifyLog(knex(), key, { full: true })).toMatchObject({ verified: true, unsealed_lines: 0 })
  })

  it.each([
    ["infinity", "infinity"],
    ["in the year 10000", "10000-01-01 00:00:00+00"],
    ["a week after its seal", new Date(Date.now() + 7 * 86_400_000).toISOString()],
  ])("names a line dated %s (written before the insert trigger dated it now); retention keeps its seal and what comes after it", async (_what, createdAt) => {
    const old = await chain()
    await write()
    await lineWrittenBefore("lacl_FAR_AHEAD", createdAt)
    const sealed = await sealLog(knex(), key)
    await write()
    await sealLog(knex(), key)
    const recent = (await ids()).filter((id) => !old.includes(id))

    const purged = await purgeLog(knex(), key, 1, { now: new Date(Date.now() + 2 * 86_400_000) })
    // Only the seals before it: the made-up line's seal and the one after it stay, with their lines.
    expect(purged.tombstone).toMatchObject({ to_seq: String(Number(sealed!.seq) - 1) })
    expect((await ids()).sort()).toEqual([...recent].sort())
    expect(recent).toContain("lacl_FAR_AHEAD")
    for (const full of [false, true]) {
      expect(await verifyLog(knex(), key, { full })).toMatchObject({
        verified: false,
        first_mismatch: { kind: "line_time_invalid", checkpoint: Number(sealed!.seq), line_id: "lacl_FAR_AHEAD" },
      })
    }
  })

  it.each([
    ["4713 BC (its checkpoint's text has no era, and read as a year AD it kept the seal young)", "4713-01-01 00:00:00+00 BC"],
    ["in 1999", "1999-12-31 00:00:00+00"],
  ])("names a line dated %s, written before the insert trigger dated it now", async (_what, createdAt) => {
    await chain()
    await write()
    await lineWrittenBefore("lacl_LONG_AGO", createdAt)
    const sealed = await sealLog(knex(), key)
    for (const full of [false, true]) {
      expect(await verifyLog(knex(), key, { full })).toMatchObject({
        verified: false,
        first_mismatch: { kind: "line_time_invalid", checkpoint: Number(sealed!.seq), line_id: "lacl_LONG_AGO" },
      })
    }
  })

  it("seals lines inserted with ids of kilobytes, without their list, and seals on after them", async () => {
    await chain()
    // 14 000 ids of 2 570 characters (about the most a primary key entry holds): 36 MB of ids in one transaction.
    await knex().raw(
      `insert into ${LOG} ("id", "action", "actor_type") select 'lacl_big' || g || repeat(md5(g::text), 80), 'settings_updated', 'system' from generate_series(1, 14000) g`
    )
    const big = await sealLog(knex(), key)
    expect(big).toMatchObject({ line_count: "14000" })
    const { rows: [row] } = await knex().raw(
      `select "line_ids" is null as "no_list", "line_ids_digest" from ${CHECKPOINTS} where "seq" = ?`,
      [big!.seq]
    )
    expect(row).toEqual({ no_list: true, line_ids_digest: null })
    await write()
    // (The minute's seal job may have sealed it first.)
    await sealLog(knex(), key)
    const { rows: [{ last }] } = await knex().raw(`select max("seq")::int as "last" from ${CHECKPOINTS}`)
    expect(last).toBe(Number(big!.seq) + 1)
    expect(await verifyLog(knex(), key)).toMatchObject({ verified: true, unsealed_lines: 0 })
  })

  it("answers Log health with lines and verifications dated -infinity or infinity by a plain INSERT", async () => {
    await chain()
    const { rows: [{ oldest }] } = await knex().raw(`select min("created_at") as "oldest" from ${LOG}`)
    await lineWrittenBefore("lacl_NO_TIME", "-infinity")
    await knex().raw(
      `insert into "login_as_customer_log_verification" ("id", "verified", "checkpoints", "lines", "signed", "duration_ms", "created_at", "mode")
       values ('laclv_far', true, 1, 1, true, 1, 'infinity', 'full'), ('laclv_later', true, 1, 1, true, 1, now() + interval '1 year', 'full')`
    )
    await context.api.post("/admin/login-as-customer/log/verify", {}, fx.admin.headers)
    const answer = await health()
    expect(answer.status).toBe(200)
    expect(answer.data.health.oldest_line_at).toBe(new Date(oldest).toISOString())
    expect(answer.data.health.last_verification).toMatchObject({ mode: "quick" })
  })

  it("shows as the last verification only a record signed with the key, and keeps every record as it was written", async () => {
    await chain()
    const { rows: [cp] } = await knex().raw(`select "line_ids"[1] as "id" from ${CHECKPOINTS} where "seq" = 2`)
    await fx.tamper(`update ${LOG} set "user_email" = 'someone.else@example.com' where "id" = ?`, [cp.id])
    const failed = await context.api.post("/admin/login-as-customer/log/verify", {}, fx.admin.headers)
    expect(failed.data).toMatchObject({ verified: false })
    // A passing record inserted by SQL after it, dated now, with a made-up signature.
    await knex().raw(
      `insert into "login_as_customer_log_verification" ("id", "verified", "verified_through", "checkpoints", "lines", "signed", "duration_ms", "mode", "signature")
       values ('laclv_forged', true, '2026-12-01T00:00:00.000000Z', 3, 9, true, 1, 'full', ?)`,
      ["ab".repeat(32)]
    )
    expect((await health()).data.health).toMatchObject({
      last_verification: { verified: false, mode: "quick", first_mismatch: { kind: "line_altered" } },
      verifications_passed_over: { count: 1, at_least: false },
    })
    // Thousands of them, some dated within the same millisecond as the real one: it is still the one shown.
    await knex().raw(
      `insert into "login_as_customer_log_verification" ("id", "verified", "verified_through", "checkpoints", "lines", "signed", "duration_ms", "mode", "signature", "created_at")
       select 'laclv_flood' || g, true, '2026-12-01T00:00:00.000000Z', 3, 9, true, 1, 'full', md5(g::text) || md5(g::text),
              case when g <= 10 then "created_at" + g * interval '1 microsecond' else now() end
         from generate_series(1, 2500) g, (select "created_at" from "login_as_customer_log_verification" where "verified" = false) v`
    )
    expect((await health()).data.health).toMatchObject({
      last_verification: { verified: false, mode: "quick", first_mismatch: { kind: "line_altered" } },
      verifications_passed_over: { count: 2501, at_least: false },
    })
    for (const sql of [
      `delete from "login_as_customer_log_verification" where "verified" = false`,
      `update "login_as_customer_log_verification" set "verified" = true`,
      `truncate "login_as_customer_log_verification"`,
    ]) {
      await expect(knex().raw(sql)).rejects.toThrow("login_as_customer_log_verification is append-only")
    }
  })

  it("says so when more records inserted by SQL than it reads hide the last verification, and shows the next real one", async () => {
    await chain()
    expect((await context.api.post("/admin/login-as-customer/log/verify", {}, fx.admin.headers)).data).toMatchObject({ verified: true })
    await knex().raw(
      `insert into "login_as_customer_log_verification" ("id", "verified", "verified_through", "checkpoints", "lines", "signed", "duration_ms", "mode", "signature")
       select 'laclv_hide' || g, true, '2026-12-01T00:00:00.000000Z', 3, 9, true, 1, 'full', md5(g::text) || md5(g::text)
         from generate_series(1, 20001) g`
    )
    expect((await health()).data.health).toMatchObject({ last_verification: null, verifications_passed_over: { count: 20000, at_least: true } })
    await context.api.post("/admin/login-as-customer/log/verify", {}, fx.admin.headers)
    expect((await health()).data.health).toMatchObject({
      last_verification: { verified: true, mode: "quick" },
      verifications_passed_over: { count: 0, at_least: false },
    })
  })

  describe("objects created in the log's schema, and the largest seq", () => {
    const dropAll = () =>
      knex().raw(`drop operator if exists public.= (${LOG}, ${LOG}); drop function if exists public.lac_always_eq(${LOG}, ${LOG});
                  drop aggregate if exists public.array_agg(text); drop function if exists public.lac_noop(text[], text)`)
    afterEach(dropAll)

    it("refuses an UPDATE of a line though an = operator for the log's rows, created in its schema, says every row is erased", async () => {
      await chain()
      await write()
      const { rows: [line] } = await knex().raw(`select "id" from ${LOG} order by "xact_id" desc limit 1`)
      await knex().raw(`create function public.lac_always_eq(${LOG}, ${LOG}) returns boolean language sql immutable as 'select true'`)
      await knex().raw(`create operator public.= (leftarg = ${LOG}, rightarg = ${LOG}, function = public.lac_always_eq)`)
      await expect(knex().raw(`update ${LOG} set "user_email" = 'someone.else@example.com' where "id" = ?`, [line.id])).rejects.toThrow(
        "login_as_customer_log_entry is append-only: UPDATE is not allowed"
      )
    })

    it("still names a changed line in full verification though array_agg(text) was created in the log's schema", async () => {
      const lines = await chain()
      await fx.tamper(`update ${LOG} set "user_email" = 'someone.else@example.com' where "id" = ?`, [lines[4]])
      await knex().raw(`create function public.lac_noop(text[], text) returns text[] language sql immutable as 'select $1'`)
      await knex().raw(`create aggregate public.array_agg(text) (sfunc = public.lac_noop, stype = text[], initcond = '{}')`)
      for (const full of [false, true]) {
        expect((await verifyLog(knex(), key, { full })).first_mismatch).toMatchObject({ kind: "line_altered", line_id: lines[4] })
      }
    })
  })

  it("lets nothing go under a tombstone inserted at the largest seq, and verification names it instead of failing", async () => {
    const lines = await chain()
    await knex().raw(
      `insert into ${CHECKPOINTS} ("id", "seq", "kind", "from_xid", "to_xid", "from_seq", "to_seq", "line_count", "lines_digest", "prev_digest", "digest")
       values ('laccp_max', 9223372036854775807, 'tombstone', 0, 9223372036854775807, 1, 9223372036854775806, 0, 'x', 'y', 'z')`
    )
    await expect(knex().raw(`delete from ${LOG}`)).rejects.toThrow("append-only: DELETE is not allowed")
    await expect(knex().raw(`delete from ${CHECKPOINTS} where "kind" = 'seal'`)).rejects.toThrow("append-only: DELETE is not allowed")
    expect(await ids()).toEqual(lines)
    for (const full of [false, true]) {
      expect(await verifyLog(knex(), key, { full })).toMatchObject({ verified: false, first_mismatch: { kind: expect.any(String) } })
    }
    const answer = await context.api.post("/admin/login-as-customer/log/verify", {}, fx.admin.headers)
    expect(answer.status).toBe(200)
    expect((await health()).data.health.last_verification).toMatchObject({ verified: false })
  })

  it("answers Log health with a line dated past the years JavaScript can hold", async () => {
    await chain()
    await lineWrittenBefore("lacl_FAR_FAR", "294000-01-01 00:00:00+00")
    const answer = await health()
    expect(answer.status).toBe(200)
    expect(answer.data.health).toMatchObject({ unsealed_lines: 1, oldest_unsealed_at: null })
    // The database's time, which the settings page compares the oldest unsealed line with.
    expect(Math.abs(Date.parse(answer.data.health.checked_at) - Date.now())).toBeLessThan(60_000)
  })
}
