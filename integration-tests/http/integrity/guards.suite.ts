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
}
