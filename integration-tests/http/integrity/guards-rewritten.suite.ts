import { sealLog, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import { SEAL_LOCK } from "../../../src/modules/login-as-customer/log-integrity/seal"
import { erasedCustomerEmailSql, erasedDetailsSql } from "../../../src/modules/login-as-customer/log-integrity/sql"
import type { SuiteContext } from "../../helpers/suite"
import { CHECKPOINTS, integrityFixtures, key, LOG } from "./integrity-helpers"

const SETTINGS = "login_as_customer_settings"

/**
 * A weakening of the log's guards done and undone in one transaction
 * leaves their state as it was, so Log health's `guards_changed` can't show
 * it; what it let through (an unsealed line deleted or rewritten) leaves
 * nothing for the chain to find either. The catalog rows it wrote keep that
 * transaction's id: each seal keeps their version in its signed checkpoint,
 * and verification names the seals between which it changed.
 */
export default function guardsRewrittenSuite(context: SuiteContext) {
  const fx = integrityFixtures(context)
  const { knex } = fx
  const verify = async () => (await context.api.post("/admin/login-as-customer/log/verify", {}, fx.admin.headers)).data
  const newestSeal = async () =>
    (await knex().raw(`select "seq"::int as "seq", "created_at" from ${CHECKPOINTS} order by "seq" desc limit 1`)).rows[0] as {
      seq: number
      created_at: Date
    }
  /** `statements` in one transaction under the seal lock (the minute's seal waits), as the table's owner could. */
  const inOneTransaction = (statements: Array<[string, unknown[]?]>) =>
    knex().transaction(async (trx: any) => {
      await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [SEAL_LOCK])
      for (const [sql, bindings] of statements) await trx.raw(sql, bindings ?? [])
    })
  /**
   * A line, then a seal of it: the seal's own answer. The seal lock is held
   * from before the line is written (the seal takes it again in the same
   * session), so the minute's seal job can't seal the line first.
   */
  const writeAndSeal = async () =>
    knex().transaction(async (trx: any) => {
      await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [SEAL_LOCK])
      await fx.write()
      return await sealLog(trx, key)
    })

  it("names the seals between which a guard was switched off and on again in one transaction that deleted an unsealed line", async () => {
    await fx.chain()
    // The seal lock held from before the line is written until it is deleted: the minute's seal can't seal it meanwhile.
    const sealed = await knex().transaction(async (trx: any) => {
      await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [SEAL_LOCK])
      await fx.write()
      const [unsealed] = (await trx.raw(`select "id" from ${LOG} order by "xact_id" desc limit 1`)).rows
      await trx.raw(`alter table ${LOG} disable trigger "login_as_customer_log_entry_no_change"`)
      await trx.raw(`delete from ${LOG} where "id" = ?`, [unsealed.id])
      await trx.raw(`alter table ${LOG} enable always trigger "login_as_customer_log_entry_no_change"`)
      return await newestSeal()
    })
    // The triggers are as they were, and the line is gone without a trace in the chain.
    const now = await verify()
    expect(now).toMatchObject({ verified: true, guards_changed: [] })
    expect(now.guards_rewritten).toEqual([{ checkpoint: null, after: sealed.created_at.toISOString(), before: null }])

    const seal = await writeAndSeal()
    expect(seal).toMatchObject({ seq: String(sealed.seq + 1), guards_rewritten: true })
    const next = await newestSeal()
    const named = [{ checkpoint: sealed.seq + 1, after: sealed.created_at.toISOString(), before: next.created_at.toISOString() }]
    expect((await verify()).guards_rewritten).toEqual(named)
    // In full verification and from the command line's function too; the seals after it don't repeat it.
    expect(await writeAndSeal()).toMatchObject({ guards_rewritten: false })
    expect((await verifyLog(knex(), key, { full: true })).guards_rewritten).toEqual(named)
  })

  it("names a function replaced and put back, a rule made and dropped, the retention rewritten under its trigger, a policy made and dropped, each in one transaction; a constraint made, then dropped; a default changed and put back; an index made again", async () => {
    await fx.chain()
    const {
      rows: [{ d: appendOnly }],
    } = await knex().raw(`select pg_get_functiondef('login_as_customer_log_entry_append_only'::regproc) as "d"`)
    const cases: Array<Array<[string, unknown[]?]>> = [
      [
        [`create or replace function "login_as_customer_log_entry_append_only"() returns trigger language plpgsql as $$ begin return coalesce(new, old); end $$`],
        [appendOnly],
      ],
      [
        [`create rule "keep_lines" as on delete to ${LOG} do instead nothing`],
        [`drop rule "keep_lines" on ${LOG}`],
      ],
      // No row trigger fires for a column's rewrite: the retention changed, no line says so.
      [[`alter table ${SETTINGS} alter column "log_retention_days" type integer using "log_retention_days"`]],
      // Left on: a policy made and dropped again (a policy that stays is named by guards_changed).
      [
        [`alter table ${LOG} enable row level security`],
        [`create policy "hide_lines" on ${LOG} using (false)`],
        [`drop policy "hide_lines" on ${LOG}`],
      ],
      // A check that failing verification records break, made, then dropped (made and dropped between two seals, it
      // leaves no trace: it only failed that transaction's writes, and guards_changed names it while it is there).
      [[`alter table "login_as_customer_log_verification" add constraint "hide_fail" check ("verified") not valid`]],
      [[`alter table "login_as_customer_log_verification" drop constraint "hide_fail"`]],
      // A column's default changed and put back (a record dated back by its default).
      [
        [`alter table "login_as_customer_log_verification" alter column "created_at" set default '2000-01-01'`],
        [`alter table "login_as_customer_log_verification" alter column "created_at" set default now()`],
      ],
      // The event's unique index made again.
      [
        [`drop index "IDX_login_as_customer_log_entry_event_id_unique"`],
        [`create unique index "IDX_login_as_customer_log_entry_event_id_unique" on ${LOG} ("event_id") where "event_id" is not null and "deleted_at" is null`],
      ],
    ]
    for (const statements of cases) {
      const sealed = await newestSeal()
      await inOneTransaction(statements)
      expect((await verify()).guards_rewritten.at(-1)).toEqual({ checkpoint: null, after: sealed.created_at.toISOString(), before: null })
      expect(await writeAndSeal()).toMatchObject({ seq: String(sealed.seq + 1), guards_rewritten: true })
      expect((await verify()).guards_rewritten.at(-1)).toMatchObject({ checkpoint: sealed.seq + 1 })
    }
    const result = await verify()
    expect(result).toMatchObject({ verified: true, guards_changed: [{ table: LOG, trigger: "row level security", state: "row_security" }] })
    expect(result.guards_rewritten.map((r: { checkpoint: number }) => r.checkpoint)).toEqual([4, 5, 6, 7, 8, 9, 10, 11])
    await knex().raw(`alter table ${LOG} disable row level security`)
  })

  it("names a table put in the checkpoints' place for a moment (its tombstone let the append-only trigger delete an unsealed line), a verification record rewritten under its trigger, and the log's schema swapped for a moment", async () => {
    await fx.chain()
    await fx.write()
    const [unsealed] = (await knex().raw(`select "id" from ${LOG} order by "xact_id" desc limit 1`)).rows
    const sealed = await newestSeal()
    // Every trigger stays on: the append-only trigger finds the checkpoints by name, and reads the decoy's tombstone.
    await inOneTransaction([
      [`alter table ${CHECKPOINTS} rename to "test_real_checkpoints"`],
      [`create table ${CHECKPOINTS} (like "test_real_checkpoints" including defaults)`],
      [
        `insert into ${CHECKPOINTS} ("id", "seq", "kind", "from_xid", "to_xid", "from_seq", "to_seq", "line_count", "lines_digest", "prev_digest", "digest")
         values ('fake_s', 9, 'seal', 0, 9000000000000000000, null, null, 0, 'x', 'x', 'x'),
                ('fake_t', 10, 'tombstone', 0, 9000000000000000000, 1, 9, 0, 'x', 'x', 'x')`,
      ],
      [`delete from ${LOG} where "id" = ?`, [unsealed.id]],
      [`drop table ${CHECKPOINTS}`],
      [`alter table "test_real_checkpoints" rename to ${CHECKPOINTS}`],
    ])
    expect((await knex().raw(`select count(*)::int as "n" from ${LOG} where "id" = ?`, [unsealed.id])).rows[0].n).toBe(0)
    const now = await verify()
    expect(now).toMatchObject({ verified: true, guards_changed: [] })
    expect(now.guards_rewritten).toEqual([{ checkpoint: null, after: sealed.created_at.toISOString(), before: null }])
    expect(await writeAndSeal()).toMatchObject({ seq: String(sealed.seq + 1), guards_rewritten: true })

    // A failing verification's record dated back by a column's rewrite (no row trigger fires), so Log health shows an older one.
    await context.api.post("/admin/login-as-customer/log/verify", { anchor: { seq: 1, digest: "0".repeat(64) } }, fx.admin.headers)
    await inOneTransaction([
      [
        `alter table "login_as_customer_log_verification" alter column "created_at" type timestamptz
           using (case when "verified" then "created_at" else timestamptz '2020-01-01' end)`,
      ],
    ])
    expect((await verify()).guards_rewritten.at(-1)).toMatchObject({ checkpoint: null })
    expect(await writeAndSeal()).toMatchObject({ seq: String(sealed.seq + 2), guards_rewritten: true })

    // The log's schema renamed, another in its place for a moment, with a decoy of the checkpoints the trigger reads.
    await fx.write()
    const [next] = (await knex().raw(`select "id" from ${LOG} order by "xact_id" desc limit 1`)).rows
    const { rows: [{ schema }] } = await knex().raw(`select current_schema() as "schema"`)
    await inOneTransaction([
      [`alter schema "${schema}" rename to "test_real_schema"`],
      [`create schema "${schema}"`],
      [`create table "${schema}".${CHECKPOINTS} ("seq" bigint, "kind" text, "from_seq" bigint, "to_seq" bigint, "to_xid" bigint)`],
      [`create table "${schema}".${LOG} (like "test_real_schema".${LOG})`],
      [`insert into "${schema}".${CHECKPOINTS} values (2, 'tombstone', 1, 1, 9223372036854775807), (1, 'seal', null, null, 9223372036854775807)`],
      [`delete from "test_real_schema".${LOG} where "id" = ?`, [next.id]],
      [`drop schema "${schema}" cascade`],
      [`alter schema "test_real_schema" rename to "${schema}"`],
    ])
    expect((await knex().raw(`select count(*)::int as "n" from ${LOG} where "id" = ?`, [next.id])).rows[0].n).toBe(0)
    expect((await verify()).guards_rewritten.at(-1)).toMatchObject({ checkpoint: null })
    expect(await writeAndSeal()).toMatchObject({ seq: String(sealed.seq + 3), guards_rewritten: true })
  })

  it("names one of PostgreSQL's own functions replaced and put back (a superuser's power): now() dating lines back", async () => {
    await fx.chain()
    const sealed = await newestSeal()
    await inOneTransaction([
      [
        `create or replace function pg_catalog.now() returns timestamptz language sql stable parallel safe strict
           as $$ select pg_catalog.transaction_timestamp() - interval '5 hours' $$`,
      ],
      [`create or replace function pg_catalog.now() returns timestamptz language internal stable parallel safe strict as 'now'`],
    ])
    expect((await verify()).guards_rewritten).toEqual([{ checkpoint: null, after: sealed.created_at.toISOString(), before: null }])
    expect(await writeAndSeal()).toMatchObject({ seq: String(sealed.seq + 1), guards_rewritten: true })
  })

  it("names a seal whose guards' version was taken out, to pass as one written before seals kept it", async () => {
    await fx.chain()
    const { rows } = await knex().raw(`select "guards_digest" from ${CHECKPOINTS} order by "seq"`)
    expect(rows.map((r: { guards_digest: string | null }) => r.guards_digest)).toEqual([expect.any(String), expect.any(String), expect.any(String)])
    await fx.tamper(`update ${CHECKPOINTS} set "guards_digest" = null where "seq" = 2`)
    expect((await verify()).first_mismatch).toMatchObject({ kind: "checkpoint_altered", checkpoint: 2 })
  })

  it("refuses a delete that a made-up tombstone in a table inheriting the checkpoints, made and dropped in the same transaction, would allow", async () => {
    await fx.chain()
    await fx.write()
    const [unsealed] = (await knex().raw(`select "id" from ${LOG} order by "xact_id" desc limit 1`)).rows
    const sealed = await newestSeal()
    const decoy: Array<[string, unknown[]?]> = [
      [`create table "lac_decoy" () inherits (${CHECKPOINTS})`],
      [`insert into "lac_decoy" ("id", "seq", "kind", "from_xid", "to_xid", "line_count", "lines_digest", "prev_digest", "digest")
        select 'decoy_seal', "m" + 1, 'seal', 0, 4611686018427387904, 0, 'x', 'x', 'x' from (select max("seq") "m" from ${CHECKPOINTS}) s`],
      // The highest seq from 1, standing for every checkpoint before it, the decoy seal last: the tombstone the rules follow.
      [`insert into "lac_decoy" ("id", "seq", "kind", "from_xid", "to_xid", "from_seq", "to_seq", "line_count", "lines_digest", "prev_digest", "digest")
        select 'decoy_tomb', "m" + 1, 'tombstone', 0, 4611686018427387904, 1, "m", 0, 'x', 'x', 'x' from (select max("seq") "m" from ${CHECKPOINTS}) s`],
    ]
    for (const remove of [`delete from ${LOG} where "id" = '${unsealed.id}'`, `delete from ${CHECKPOINTS} where "seq" = ${sealed.seq}`]) {
      await expect(inOneTransaction([...decoy, [remove], [`drop table "lac_decoy"`]])).rejects.toThrow(/is append-only: DELETE is not allowed/)
    }
    expect((await knex().raw(`select count(*)::int as "n" from ${LOG} where "id" = ?`, [unsealed.id])).rows[0].n).toBe(1)
    expect(await verify()).toMatchObject({ verified: true, guards_changed: [] })
    expect(await writeAndSeal()).toMatchObject({ seq: String(sealed.seq + 1) })
    expect(await verify()).toMatchObject({ verified: true, lines: expect.any(Number) })
  })

  it("refuses an erasure-shaped update that also names another admin with text's default operator class swapped for one whose = is always true, or with a cast of the log's rows to text, and names the swap put back, a type's edit and a cast", async () => {
    await fx.chain()
    await fx.write()
    const [unsealed] = (await knex().raw(`select "id" from ${LOG} order by "xact_id" desc limit 1`)).rows
    const swap: Array<[string, unknown[]?]> = [
      [`create function "test_always"(text, text) returns bool language sql immutable as 'select true'`],
      [`create operator public.=== (leftarg = text, rightarg = text, function = "test_always")`],
      [`update pg_catalog.pg_opclass set opcdefault = false where opcname = 'text_ops' and opcmethod = 403 and opcintype = 'text'::regtype`],
      [
        `create operator class "test_text_ops" default for type text using btree as operator 1 <(text, text), operator 2 <=(text, text),
           operator 3 public.===(text, text), operator 4 >=(text, text), operator 5 >(text, text), function 1 bttextcmp(text, text)`,
      ],
    ]
    const putBack: Array<[string, unknown[]?]> = [
      [`drop operator family "test_text_ops" using btree`],
      [`update pg_catalog.pg_opclass set opcdefault = true where opcname = 'text_ops' and opcmethod = 403 and opcintype = 'text'::regtype`],
      [`drop operator public.===(text, text)`],
      [`drop function "test_always"(text, text)`],
    ]
    // What erasure writes, and another admin: a comparison of whole rows by the swapped class took it as unchanged.
    const rewrite: [string, unknown[]] = [
      `update ${LOG} set "user_id" = 'user_mallory', "customer_email" = ${erasedCustomerEmailSql(LOG)},
              "details" = ${erasedDetailsSql(LOG)}, "pii_salt" = null where "id" = ?`,
      [unsealed.id],
    ]
    await expect(inOneTransaction([...swap, rewrite, ...putBack])).rejects.toThrow(/is append-only: UPDATE is not allowed/)
    expect((await knex().raw(`select "user_id" from ${LOG} where "id" = ?`, [unsealed.id])).rows[0].user_id).toBe("user_test")
    // A row's text went through a cast from the table's row type, which its owner can make, and which reads as always the same.
    const cast: Array<[string, unknown[]?]> = [
      [`create function "test_same"(${LOG}) returns text language sql immutable as $$ select 'same'::text $$`],
      [`create cast (${LOG} as text) with function "test_same"(${LOG})`],
    ]
    await expect(inOneTransaction([...cast, rewrite])).rejects.toThrow(/is append-only: UPDATE is not allowed/)
    expect((await knex().raw(`select "user_id" from ${LOG} where "id" = ?`, [unsealed.id])).rows[0].user_id).toBe("user_test")
    const sealed = await newestSeal()
    await inOneTransaction([...swap, ...putBack])
    expect((await verify()).guards_rewritten).toEqual([{ checkpoint: null, after: sealed.created_at.toISOString(), before: null }])
    // A type's send function rewritten in the catalog and put back (a superuser's edit), and a cast that stays, each named.
    for (const statements of [
      [[`update pg_catalog.pg_type set "typsend" = "typsend" where "oid" = 'text'::regtype`]],
      cast,
    ] as Array<Array<[string, unknown[]?]>>) {
      const seal = await writeAndSeal()
      await inOneTransaction(statements)
      expect((await verify()).guards_rewritten.at(-1)).toMatchObject({ checkpoint: null, before: null, after: expect.any(String) })
      // Each seal saw the change before it (the swap, then the type's edit).
      expect(seal).toMatchObject({ guards_rewritten: true })
    }
    await knex().raw(`drop cast (${LOG} as text)`)
    await knex().raw(`drop function "test_same"(${LOG})`)
  })

  it("refuses an erasure-shaped update that a trigger named to fire after the append-only one, made and dropped in the same transaction, turns into another admin's line", async () => {
    await fx.chain()
    await fx.write()
    const [unsealed] = (await knex().raw(`select "id", "customer_email" from ${LOG} order by "xact_id" desc limit 1`)).rows
    // BEFORE triggers fire in the order of their names: this one saw the row once the rule had let an erasure through.
    const implant: Array<[string, unknown[]?]> = [
      [
        `create function "test_after_guard"() returns trigger language plpgsql as $$ begin
           new."customer_email" := old."customer_email"; new."details" := old."details"; new."pii_salt" := old."pii_salt";
           new."user_id" := 'user_mallory'; return new; end $$`,
      ],
      [`create trigger "zz_after_guard" before update on ${LOG} for each row execute function "test_after_guard"()`],
    ]
    const erase: [string, unknown[]] = [
      `update ${LOG} set "customer_email" = ${erasedCustomerEmailSql(LOG)}, "details" = ${erasedDetailsSql(LOG)}, "pii_salt" = null where "id" = ?`,
      [unsealed.id],
    ]
    const dropped: Array<[string, unknown[]?]> = [[`drop trigger "zz_after_guard" on ${LOG}`], [`drop function "test_after_guard"()`]]
    await expect(inOneTransaction([...implant, erase, ...dropped])).rejects.toThrow(/is append-only: UPDATE is not allowed/)
    expect((await knex().raw(`select "user_id", "customer_email" from ${LOG} where "id" = ?`, [unsealed.id])).rows[0]).toEqual({
      user_id: "user_test",
      customer_email: unsealed.customer_email,
    })
    // Erasure as it writes the line still goes through, checked on the row as stored.
    await inOneTransaction([erase])
    const erased = (await knex().raw(`select "user_id", "pii_salt" from ${LOG} where "id" = ?`, [unsealed.id])).rows[0]
    expect(erased).toEqual({ user_id: "user_test", pii_salt: null })
  })

  it("names plpgsql's call handler pointed elsewhere and back (every trigger of the log off, untouched), and a trigger marked internal", async () => {
    await fx.chain()
    const sealed = await newestSeal()
    await inOneTransaction([
      [`update pg_catalog.pg_language set lanplcallfoid = 'pg_catalog.suppress_redundant_updates_trigger'::regproc where lanname = 'plpgsql'`],
      [`update pg_catalog.pg_language set lanplcallfoid = 'pg_catalog.plpgsql_call_handler'::regproc where lanname = 'plpgsql'`],
    ])
    expect((await verify()).guards_rewritten).toEqual([{ checkpoint: null, after: sealed.created_at.toISOString(), before: null }])
    const seal = await writeAndSeal()
    expect(seal).toMatchObject({ seq: String(sealed.seq + 1), guards_rewritten: true })
    // A trigger marked internal and dropped again between two seals.
    await inOneTransaction([
      [`create function "test_hidden"() returns trigger language plpgsql as $$ begin return new; end $$`],
      [`create trigger "test_hidden" before insert on ${LOG} for each row execute function "test_hidden"()`],
      [`update pg_catalog.pg_trigger set tgisinternal = true where tgname = 'test_hidden'`],
    ])
    expect((await verify()).guards_rewritten.at(-1)).toMatchObject({ checkpoint: null, before: null })
    expect(await writeAndSeal()).toMatchObject({ guards_rewritten: true })
    await inOneTransaction([
      [`update pg_catalog.pg_trigger set tgisinternal = false where tgname = 'test_hidden'`],
      [`drop trigger "test_hidden" on ${LOG}`],
      [`drop function "test_hidden"()`],
    ])
    expect(await writeAndSeal()).toMatchObject({ guards_rewritten: true })
  })

  it("names every trigger of the log switched off through pg_class and on again in one transaction that deleted an unsealed line; VACUUM and ANALYZE leave the version as it is", async () => {
    await fx.chain()
    await fx.write()
    const [unsealed] = (await knex().raw(`select "id" from ${LOG} order by "xact_id" desc limit 1`)).rows
    const sealed = await newestSeal()
    await knex().raw(`vacuum analyze ${LOG}`)
    expect((await verify()).guards_rewritten).toEqual([])
    // A superuser's edit of the catalog: no trigger of the table fires while the flag is false, and its value is back after.
    await inOneTransaction([
      [`update pg_catalog.pg_class set relhastriggers = false where oid = ?::regclass`, [LOG]],
      [`delete from ${LOG} where "id" = ?`, [unsealed.id]],
      [`update pg_catalog.pg_class set relhastriggers = true where oid = ?::regclass`, [LOG]],
    ])
    expect((await knex().raw(`select count(*)::int as "n" from ${LOG} where "id" = ?`, [unsealed.id])).rows[0].n).toBe(0)
    const now = await verify()
    expect(now).toMatchObject({ guards_changed: [] })
    expect(now.guards_rewritten).toEqual([{ checkpoint: null, after: sealed.created_at.toISOString(), before: null }])
    expect(await writeAndSeal()).toMatchObject({ seq: String(sealed.seq + 1), guards_rewritten: true })
  })
}
