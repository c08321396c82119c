import type { SuiteContext } from "../../helpers/suite"
import { CHECKPOINTS, integrityFixtures, LOG } from "./integrity-helpers"

const VERIFICATIONS = "login_as_customer_log_verification"
const SETTINGS = "login_as_customer_settings"

/**
 * What the log's owner can do to its triggers without touching a line, and
 * which the chain alone doesn't show until a line is changed: switch them
 * off, or off and on again (`DISABLE TRIGGER ALL`, `ENABLE TRIGGER ALL`),
 * which leaves them firing only outside replica mode, where a superuser's
 * session can then write past them; make one again with another function,
 * replace a function's body, drop one. Log health and every verification
 * name each trigger that is not as the migrations left it.
 */
export default function guardsSuite(context: SuiteContext) {
  const fx = integrityFixtures(context)
  const { knex } = fx
  const health = async () => (await context.api.get("/admin/login-as-customer/log/health", fx.admin.headers)).data.health
  const verify = async () => (await context.api.post("/admin/login-as-customer/log/verify", {}, fx.admin.headers)).data

  it("names the log's triggers that are not as the migrations left them, in Log health and in verification, until they are again", async () => {
    await fx.chain()
    expect((await health()).guards_changed).toEqual([])
    expect((await verify()).guards_changed).toEqual([])

    // Their definitions, to put them back as the migrations made them.
    const definition = async (trigger: string): Promise<string> =>
      (await knex().raw(`select pg_get_triggerdef(oid) as "d" from pg_trigger where tgname = ?`, [trigger])).rows[0].d
    const checkpointTruncate = await definition("login_as_customer_log_checkpoint_no_truncate")
    const settingsTruncate = await definition("login_as_customer_settings_truncate_logged")
    const {
      rows: [{ d: verificationFunction }],
    } = await knex().raw(`select pg_get_functiondef('login_as_customer_log_verification_append_only'::regproc) as "d"`)
    try {
      await knex().raw(`alter table ${LOG} disable trigger all`)
      await knex().raw(`alter table ${LOG} enable trigger all`)
      await knex().raw(`alter table ${CHECKPOINTS} disable trigger "login_as_customer_log_checkpoint_no_change"`)
      // Made again with another function, that lets a TRUNCATE of the checkpoints through.
      await knex().raw(`drop trigger "login_as_customer_log_checkpoint_no_truncate" on ${CHECKPOINTS}`)
      await knex().raw(
        `create trigger "login_as_customer_log_checkpoint_no_truncate" before truncate on ${CHECKPOINTS}
           for each statement execute function "login_as_customer_settings_retention_logged"()`
      )
      await knex().raw(`alter table ${CHECKPOINTS} enable always trigger "login_as_customer_log_checkpoint_no_truncate"`)
      // The same name, a body that lets everything through, as a function of the owner's.
      await knex().raw(
        `create or replace function "login_as_customer_log_verification_append_only"() returns trigger language plpgsql
           set search_path = pg_catalog, pg_temp as $$ begin return coalesce(new, old); end $$`
      )
      await knex().raw(`alter table ${SETTINGS} enable replica trigger "login_as_customer_settings_retention_logged"`)
      await knex().raw(`drop trigger "login_as_customer_settings_truncate_logged" on ${SETTINGS}`)

      const changed = [
        { table: LOG, trigger: "login_as_customer_log_entry_no_change", state: "origin" },
        { table: LOG, trigger: "login_as_customer_log_entry_no_truncate", state: "origin" },
        { table: LOG, trigger: "login_as_customer_log_entry_seal", state: "origin" },
        { table: LOG, trigger: "login_as_customer_log_entry_erasure_checked", state: "origin" },
        { table: CHECKPOINTS, trigger: "login_as_customer_log_checkpoint_no_change", state: "disabled" },
        { table: CHECKPOINTS, trigger: "login_as_customer_log_checkpoint_no_truncate", state: "changed" },
        { table: VERIFICATIONS, trigger: "login_as_customer_log_verification_no_change", state: "changed" },
        { table: VERIFICATIONS, trigger: "login_as_customer_log_verification_no_truncate", state: "changed" },
        { table: SETTINGS, trigger: "login_as_customer_settings_retention_logged", state: "replica" },
        { table: SETTINGS, trigger: "login_as_customer_settings_truncate_logged", state: "missing" },
      ]
      expect((await health()).guards_changed).toEqual(changed)
      // The chain itself is intact: verification passes, and says the triggers are not as they were.
      expect(await verify()).toMatchObject({ verified: true, first_mismatch: null, guards_changed: changed })
    } finally {
      await knex().raw(verificationFunction)
      await knex().raw(`drop trigger if exists "login_as_customer_log_checkpoint_no_truncate" on ${CHECKPOINTS}`)
      await knex().raw(checkpointTruncate)
      await knex().raw(`drop trigger if exists "login_as_customer_settings_truncate_logged" on ${SETTINGS}`)
      await knex().raw(settingsTruncate)
      for (const [table, trigger] of [
        [LOG, "login_as_customer_log_entry_no_change"],
        [LOG, "login_as_customer_log_entry_no_truncate"],
        [LOG, "login_as_customer_log_entry_seal"],
        [LOG, "login_as_customer_log_entry_erasure_checked"],
        [CHECKPOINTS, "login_as_customer_log_checkpoint_no_change"],
        [CHECKPOINTS, "login_as_customer_log_checkpoint_no_truncate"],
        [SETTINGS, "login_as_customer_settings_retention_logged"],
        [SETTINGS, "login_as_customer_settings_truncate_logged"],
      ]) {
        await knex().raw(`alter table ${table} enable always trigger "${trigger}"`)
      }
    }
    expect((await health()).guards_changed).toEqual([])
    expect((await verify()).guards_changed).toEqual([])
  })

  it("names a trigger, rule, row level security, policy, inheriting table, constraint or index on the log's tables that is none of the plugin's, a table whose triggers are off in the catalog, and a guard's function made SECURITY DEFINER", async () => {
    await fx.chain()
    try {
      await knex().raw(`create function "test_drop_lines"() returns trigger language plpgsql as $$ begin return null; end $$`)
      await knex().raw(`create trigger "a_drop_lines" before insert on ${LOG} for each row execute function "test_drop_lines"()`)
      await knex().raw(`create rule "keep_settings" as on update to ${SETTINGS} do instead nothing`)
      await knex().raw(`alter function "login_as_customer_settings_retention_logged"() security definer`)
      // Rows a policy hides from the app's role are out of what it seals and verifies (the test's role, a superuser, isn't bound by it).
      await knex().raw(`alter table ${LOG} enable row level security`)
      await knex().raw(`create policy "hide_lines" on ${LOG} using ("action" <> 'store_action')`)
      // A table inheriting the settings: its rows are read with theirs, their triggers don't fire for it.
      await knex().raw(`create table "test_more_settings" () inherits (${SETTINGS})`)
      // A check that a failing verification's record breaks: its write fails, Log health keeps the last passing one.
      await knex().raw(`alter table ${VERIFICATIONS} add constraint "hide_fail" check ("verified") not valid`)
      // An index that refuses a second failing record, as a unique one does.
      await knex().raw(`create unique index "test_one_failure" on ${VERIFICATIONS} (("verified")) where not "verified"`)
      // Only a superuser's edit of the catalog does this: every trigger of the table stops firing.
      await knex().raw(`update pg_catalog.pg_class set relhastriggers = false where oid = ?::regclass`, [VERIFICATIONS])
      const changed = [
        { table: VERIFICATIONS, trigger: "login_as_customer_log_verification_no_change", state: "disabled" },
        { table: VERIFICATIONS, trigger: "login_as_customer_log_verification_no_truncate", state: "disabled" },
        { table: SETTINGS, trigger: "login_as_customer_settings_retention_logged", state: "changed" },
        { table: SETTINGS, trigger: "login_as_customer_settings_truncate_logged", state: "changed" },
        { table: LOG, trigger: "a_drop_lines", state: "extra" },
        { table: LOG, trigger: "hide_lines", state: "policy" },
        { table: LOG, trigger: "row level security", state: "row_security" },
        { table: VERIFICATIONS, trigger: "hide_fail", state: "constraint" },
        { table: VERIFICATIONS, trigger: "test_one_failure", state: "index" },
        { table: SETTINGS, trigger: "test_more_settings", state: "inherited" },
        { table: SETTINGS, trigger: "keep_settings", state: "rule" },
      ]
      expect((await health()).guards_changed).toEqual(changed)
      expect(await verify()).toMatchObject({ verified: true, guards_changed: changed })
    } finally {
      await knex().raw(`update pg_catalog.pg_class set relhastriggers = true where oid = ?::regclass`, [VERIFICATIONS])
      await knex().raw(`alter function "login_as_customer_settings_retention_logged"() security invoker`)
      await knex().raw(`drop rule if exists "keep_settings" on ${SETTINGS}`)
      await knex().raw(`drop policy if exists "hide_lines" on ${LOG}`)
      await knex().raw(`alter table ${LOG} disable row level security`)
      await knex().raw(`drop table if exists "test_more_settings"`)
      await knex().raw(`alter table ${VERIFICATIONS} drop constraint if exists "hide_fail"`)
      await knex().raw(`drop index if exists "test_one_failure"`)
      await knex().raw(`drop trigger if exists "a_drop_lines" on ${LOG}`)
      await knex().raw(`drop function if exists "test_drop_lines"()`)
    }
    expect((await health()).guards_changed).toEqual([])
  })

  it("names a trigger a superuser marked internal in the catalog and one named like another table's guard, and refuses a verification whose record a trigger drops", async () => {
    await fx.chain()
    try {
      // Drops every failing verification's record: Log health would go on showing the last passing one.
      await knex().raw(
        `create function "test_hide_failures"() returns trigger language plpgsql as $$ begin if not new."verified" then return null; end if; return new; end $$`
      )
      await knex().raw(`create trigger "test_hide_failures" before insert on ${VERIFICATIONS} for each row execute function "test_hide_failures"()`)
      await knex().raw(`update pg_catalog.pg_trigger set tgisinternal = true where tgname = 'test_hide_failures'`)
      await knex().raw(`create function "test_nothing"() returns trigger language plpgsql as $$ begin return new; end $$`)
      await knex().raw(`create trigger "login_as_customer_log_checkpoint_no_change" before insert on ${LOG} for each row execute function "test_nothing"()`)
      const changed = [
        { table: LOG, trigger: "login_as_customer_log_checkpoint_no_change", state: "extra" },
        { table: VERIFICATIONS, trigger: "test_hide_failures", state: "extra" },
      ]
      expect((await health()).guards_changed).toEqual(changed)
      expect(await verify()).toMatchObject({ verified: true, guards_changed: changed })
      const passed = (await health()).last_verification
      // A failing verification (a kept checkpoint the chain doesn't hold): its record dropped, the answer says so.
      const failing = await context.api
        .post("/admin/login-as-customer/log/verify", { anchor: { seq: 1, digest: "0".repeat(64) } }, fx.admin.headers)
        .catch((error: any) => error.response)
      expect(failing.status).toBe(500)
      expect(failing.data.message).toMatch(/this verification's record was dropped by the database on its way in .*Verification found anchor_mismatch.*\(verified: false\)/)
      expect((await health()).last_verification).toEqual(passed)
    } finally {
      await knex().raw(`update pg_catalog.pg_trigger set tgisinternal = false where tgname = 'test_hide_failures'`)
      await knex().raw(`drop trigger if exists "test_hide_failures" on ${VERIFICATIONS}`)
      await knex().raw(`drop trigger if exists "login_as_customer_log_checkpoint_no_change" on ${LOG}`)
      await knex().raw(`drop function if exists "test_hide_failures"()`)
      await knex().raw(`drop function if exists "test_nothing"()`)
    }
    expect((await health()).guards_changed).toEqual([])
  })

  it("refuses to go on when the log's table drops a line or takes it changed or dated otherwise (a trigger or rule that is not the plugin's), the app's lines and the database's line of a retention change alike", async () => {
    await fx.chain()
    const { data: { settings } } = await context.api.get("/admin/login-as-customer/settings", fx.admin.headers)
    // Saved once, so the settings' row is there for the retention's changes below.
    await context.api.post("/admin/login-as-customer/settings", { session_ttl_seconds: settings.session_ttl_seconds }, fx.admin.headers)
    const before = await fx.ids()
    try {
      await knex().raw(`create function "test_drop_lines"() returns trigger language plpgsql as $$ begin return null; end $$`)
      await knex().raw(`create trigger "a_drop_lines" before insert on ${LOG} for each row execute function "test_drop_lines"()`)
      await expect(fx.write()).rejects.toThrow(/was dropped by the database on its way in/)
      // A route's change whose line is dropped is undone, and answered as the server's failure.
      const refused = await context.api
        .post("/admin/login-as-customer/settings", { session_ttl_seconds: settings.session_ttl_seconds + 7 }, fx.admin.headers)
        .catch((e: any) => e.response)
      expect(refused.status).toBe(500)
      const { data: after } = await context.api.get("/admin/login-as-customer/settings", fx.admin.headers)
      expect(after.settings.session_ttl_seconds).toBe(settings.session_ttl_seconds)
      // The database's own line of a change of the retention: the change fails with it.
      const retention = async () =>
        (await knex().raw(`select "log_retention_days" as "days" from "login_as_customer_settings"`)).rows[0]?.days ?? null
      const days = await retention()
      await expect(knex().raw(`update "login_as_customer_settings" set "log_retention_days" = 1`)).rejects.toThrow(
        /log line of this change of the retention was dropped or changed/
      )
      await knex().raw(`drop trigger "a_drop_lines" on ${LOG}`)
      await knex().raw(`create rule "test_no_lines" as on insert to ${LOG} do instead nothing`)
      await expect(knex().raw(`update "login_as_customer_settings" set "log_retention_days" = 1`)).rejects.toThrow()
      await knex().raw(`drop rule "test_no_lines" on ${LOG}`)
      expect(await retention()).toBe(days)

      // Fires before the plugin's own trigger dates and digests the line: the line would verify as written.
      await knex().raw(
        `create or replace function "test_drop_lines"() returns trigger language plpgsql as $$ begin new."user_email" := 'someone@else.example'; return new; end $$`
      )
      await knex().raw(`create trigger "a_rewrite_lines" before insert on ${LOG} for each row execute function "test_drop_lines"()`)
      await expect(fx.write()).rejects.toThrow(/was changed by the database on its way in/)
      // Dated back on its way in, within what the plugin's trigger lets through.
      await knex().raw(
        `create or replace function "test_drop_lines"() returns trigger language plpgsql as $$ begin new."created_at" := new."created_at" - interval '2 hours'; return new; end $$`
      )
      await expect(fx.write()).rejects.toThrow(/was changed by the database on its way in/)
      // The database's own line of a change of the retention, changed: the change fails with it.
      await expect(knex().raw(`update "login_as_customer_settings" set "log_retention_days" = 1`)).rejects.toThrow(
        /log line of this change of the retention was dropped or changed/
      )
      // An event's line already in the log is still a no-op, not an error.
      await knex().raw(`drop trigger "a_rewrite_lines" on ${LOG}`)
      const once = { action: "store_action", actor_type: "user" as const, user_email: "agent@example.com", event_id: "lacev_guards_once" }
      const service = context.getContainer().resolve("loginAsCustomer")
      await expect(service.recordLogEntry(once)).resolves.toBe(true)
      await knex().raw(`create trigger "a_drop_lines" before insert on ${LOG} for each row execute function "test_drop_lines"()`)
      await expect(service.recordLogEntry(once)).resolves.toBe(false)
    } finally {
      await knex().raw(`drop trigger if exists "a_drop_lines" on ${LOG}`)
      await knex().raw(`drop trigger if exists "a_rewrite_lines" on ${LOG}`)
      await knex().raw(`drop function if exists "test_drop_lines"()`)
    }
    // Neither the dropped nor the changed lines are in the log; the event's line once.
    const { rows } = await knex().raw(`select "id", "user_email" from ${LOG} where "id" <> all(?::text[])`, [before])
    expect(rows).toEqual([{ id: expect.any(String), user_email: "agent@example.com" }])
  })
}
