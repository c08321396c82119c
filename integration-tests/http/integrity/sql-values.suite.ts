import { Modules } from "@medusajs/framework/utils"
import { SEAL_LOCK } from "../../../src/modules/login-as-customer/log-integrity/seal"
import { lineDigestSql } from "../../../src/modules/login-as-customer/log-integrity/sql"
import { DEFAULT_RESTRICTED_ACTIONS } from "../../../src/types"
import type { SuiteContext } from "../../helpers/suite"
import { CHECKPOINTS, integrityFixtures, LOG } from "./integrity-helpers"

/**
 * Values a fifth review with the database's credentials wrote by SQL where
 * only the app writes: a line's details rewritten with a number of the same
 * value (jsonb's `=` took `1.0` for `1`), details that aren't an object,
 * sessions dated past what JavaScript holds (the admin's routes answered
 * 500), and settings the admin would refuse.
 */
export default function sqlValuesSuite(context: SuiteContext) {
  const fx = integrityFixtures(context)
  const { knex } = fx
  const { api, getContainer } = context
  const codeOf = (sql: string, bindings: unknown[] = []) =>
    knex().raw(sql, bindings).then(() => "done", (error: { code?: string }) => error.code)

  // A line's digest covers its time as text with no era: moved to the same
  // date BC (with the triggers off, as the database's owner can), a line kept
  // its digest, and both verifications passed.
  const VERIFY = "/admin/login-as-customer/log/verify"
  const toBc = `update ${LOG} set "created_at" = (("created_at" at time zone 'UTC')::text || ' BC')::timestamp at time zone 'UTC' where "id" = ?`
  const verifyBoth = async () => [
    (await api.post(VERIFY, {}, fx.admin.headers)).data,
    (await api.post(VERIFY, { full: true }, fx.admin.headers)).data,
  ]
  const sealOf = async (id: string) =>
    (await knex().raw(`select "seq"::int from ${CHECKPOINTS} where ? = any("line_ids")`, [id])).rows[0]?.seq as number | undefined

  it("names a sealed line moved to the same date BC, whose digest still matches, in quick and full verification", async () => {
    const lines = await fx.chain()
    await fx.tamper(toBc, [lines[4]])
    const { rows: [line] } = await knex().raw(
      `select extract(year from l."created_at")::int < 0 as "bc", l."digest" = ${lineDigestSql("l")} as "digest_matches" from ${LOG} l where l."id" = ?`,
      [lines[4]]
    )
    expect(line).toEqual({ bc: true, digest_matches: true })
    const checkpoint = await sealOf(lines[4])
    for (const [i, result] of (await verifyBoth()).entries()) {
      expect(result).toMatchObject({
        verified: false,
        mode: i ? "full" : "quick",
        first_mismatch: { kind: "line_time_invalid", checkpoint, line_id: lines[4] },
      })
      expect(result.first_mismatch.message).toMatch(new RegExp(`^line ${lines[4]} is dated [0-9]{4}-.* BC, before 2000; no line the app writes is`))
    }
  })

  it("names a line not sealed yet moved to the same date BC, in quick and full verification", async () => {
    // The seal lock held meanwhile: the minute's seal job doesn't seal the line first.
    await knex().transaction(async (trx: any) => {
      await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [SEAL_LOCK])
      await fx.write()
      await fx.write()
      const lines = await fx.ids()
      await fx.tamper(toBc, [lines[1]])
      for (const [i, result] of (await verifyBoth()).entries()) {
        expect(result).toMatchObject({
          verified: false,
          mode: i ? "full" : "quick",
          first_mismatch: { kind: "line_time_invalid", checkpoint: null, line_id: lines[1] },
        })
        expect(result.first_mismatch.message).toMatch(new RegExp(`^line ${lines[1]} \\(not sealed yet\\) is dated .* BC, before 2000`))
      }
    })
  })

  it("still names a sealed line moved an hour within the years AD as changed, in quick and full verification", async () => {
    const lines = await fx.chain()
    await fx.tamper(`update ${LOG} set "created_at" = "created_at" + interval '1 hour' where "id" = ?`, [lines[4]])
    const checkpoint = await sealOf(lines[4])
    for (const result of await verifyBoth()) {
      expect(result).toMatchObject({
        verified: false,
        first_mismatch: { kind: "line_altered", checkpoint, line_id: lines[4], message: `line ${lines[4]} was changed after it was written` },
      })
    }
  })

  it("refuses an erasure-shaped UPDATE that rewrites a number in details, and details that aren't an object", async () => {
    await knex().raw(
      `insert into ${LOG} ("id", "action", "actor_type", "customer_id", "details", "created_at", "updated_at")
       values ('lacl_num1', 'store_action', 'user', 'cus_x', '{"n": 1.0}', now(), now())`
    )
    expect(await codeOf(`update ${LOG} set "details" = '{"n": 1}', "pii_salt" = null where "id" = 'lacl_num1'`)).toBe("42501")
    const { rows: [line] } = await knex().raw(`select "details"::text as "details" from ${LOG} where "id" = 'lacl_num1'`)
    expect(line.details).toBe('{"n": 1.0}')
    for (const details of ['["reason", "x"]', '"text"', "42", "null"]) {
      const code = await codeOf(
        `insert into ${LOG} ("id", "action", "actor_type", "details", "created_at", "updated_at") values ('lacl_odd', 'store_action', 'user', ?::jsonb, now(), now())`,
        [details]
      )
      expect({ details, code }).toEqual({ details, code: "23514" })
    }
  })

  it("answers the admin's session routes for sessions dated infinity or past the year 275760", async () => {
    const customer = await getContainer().resolve(Modules.CUSTOMER).createCustomers({ email: "far@example.com" })
    const times: Array<[string, string]> = [
      ["2026-12-02 17:00+00", "infinity"],
      ["2026-12-02 17:00+00", "294276-12-31 00:00+00"],
      ["275760-09-14 00:00+00", "275760-09-15 00:00+00"],
    ]
    for (const [i, [started, expires]] of times.entries()) {
      await knex().raw(
        `insert into "login_as_customer_session" ("id", "user_id", "customer_id", "storefront_id", "mode", "started_at", "expires_at", "created_at", "updated_at")
         values (?, ?, ?, 'reference', 'full', ?::timestamptz, ?::timestamptz, now(), now())`,
        [`lacs_01JFAR${"0".repeat(19)}${i}`, fx.admin.id, customer.id, started, expires]
      )
      // Its ticket_issued line, under its keyed id: with the key, a row without one is no session of the app's.
      await fx.write({
        event_id: `ticket_issued:lacs_01JFAR${"0".repeat(19)}${i}`,
        action: "ticket_issued",
        actor_id: fx.admin.id,
        user_id: fx.admin.id,
        user_email: fx.admin.email,
        customer_id: customer.id,
        customer_email: customer.email,
        session_id: `lacs_01JFAR${"0".repeat(19)}${i}`,
        details: { storefront_id: "reference", mode: "full", reason: null },
      })
    }
    const sessions = await api.get("/admin/login-as-customer/sessions", fx.admin.headers).catch((e) => e.response)
    expect(sessions.status).toBe(200)
    expect(sessions.data.sessions.find((s: { id: string }) => s.id === `lacs_01JFAR${"0".repeat(20)}`)).toMatchObject({ expires_at: null })
    const widget = await api.get(`/admin/customers/${customer.id}/login-as-customer`, fx.admin.headers).catch((e) => e.response)
    expect(widget.status).toBe(200)
  })

  it("takes settings the admin would refuse, written by SQL, as unset, and retention keeps everything then", async () => {
    const route = "/admin/login-as-customer/settings"
    await api.post(route, { log_retention_days: 30 }, fx.admin.headers)
    await knex().raw(
      `update "login_as_customer_settings" set "session_ttl_seconds" = -5, "ticket_ttl_seconds" = 2147483647,
              "restricted_actions" = '[null]', "log_retention_days" = 2147483647`
    )
    const { data } = await api.get(route, fx.admin.headers)
    expect(data.settings).toMatchObject({
      session_ttl_seconds: 3600,
      ticket_ttl_seconds: 60,
      log_retention_days: null,
      restricted_actions: [...DEFAULT_RESTRICTED_ACTIONS],
    })
    const purged = await getContainer().resolve("loginAsCustomer").purgeLog()
    expect(purged).toMatchObject({ removed_lines: 0, tombstone: null })
  })

  it("keeps the one settings row the app reads: no other id, no soft delete; a storefront that isn't one is left out", async () => {
    const route = "/admin/login-as-customer/settings"
    await api.post(route, { log_retention_days: 365 }, fx.admin.headers)
    for (const sql of [
      `update "login_as_customer_settings" set "deleted_at" = now()`,
      `update "login_as_customer_settings" set "id" = 'lacset_old'`,
      `insert into "login_as_customer_settings" ("id", "log_retention_days", "storefronts", "restricted_actions", "created_at", "updated_at")
       values ('lacset_b', 1, '[]', '[]', now(), now())`,
    ]) {
      expect({ sql, code: await codeOf(sql) }).toEqual({ sql, code: "23514" })
    }
    expect((await api.get(route, fx.admin.headers)).data.settings.log_retention_days).toBe(365)

    const customer = await getContainer().resolve(Modules.CUSTOMER).createCustomers({ email: "odd@example.com" })
    await knex().raw(`update "login_as_customer_settings" set "storefronts" = '[null, 1, {"id": {}}]'`)
    const widget = await api.get(`/admin/customers/${customer.id}/login-as-customer`, fx.admin.headers).catch((e) => e.response)
    expect(widget.status).toBe(200)
    expect((await api.get(route, fx.admin.headers)).data.settings.storefronts).toEqual([])

    // Lists nested 5 000 levels deep: taken as unset, not a 500 for every admin.
    const deep = `(repeat('[', 5000) || repeat(']', 5000))::jsonb`
    await knex().raw(
      `update "login_as_customer_settings" set "restricted_actions" = jsonb_build_array('change_email', ${deep}),
              "storefronts" = jsonb_build_array(${deep})`
    )
    const settings = await api.get(route, fx.admin.headers).catch((e) => e.response)
    expect(settings.status).toBe(200)
    expect(settings.data.settings).toMatchObject({ restricted_actions: [...DEFAULT_RESTRICTED_ACTIONS], storefronts: [] })
    expect((await api.get(`/admin/customers/${customer.id}/login-as-customer`, fx.admin.headers).catch((e) => e.response)).status).toBe(200)
    // And an admin can save over it.
    const saved = await api.post(route, { restricted_actions: ["change_email"] }, fx.admin.headers).catch((e) => e.response)
    expect({ status: saved.status, restricted_actions: saved.data.settings?.restricted_actions }).toEqual({ status: 200, restricted_actions: ["change_email"] })
  })
}
