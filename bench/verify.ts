// `npm run bench:verify [-- --lines 10000000] [-- --check]`: the log's
// integrity verification at scale, on a real PostgreSQL with the plugin's
// migrations (no store needed). Seeds the lines inside PostgreSQL as a store
// writes them, through the insert trigger that stamps and hashes each line,
// one transaction per checkpoint (default 70 lines: a store writing 100 000
// lines a day, sealed every minute), seals each transaction into a signed
// checkpoint, then verifies the whole chain, quick and full, and reports lines/s and the
// table's sizes on disk.
//   --lines N            lines to seed (default 1 000 000)
//   --per-checkpoint N   lines per checkpoint (default 70)
//   --check              exits 1 when a row misses its target
import fs from "fs"
import path from "path"
import { openPluginDatabase } from "./plugin-db"
import { appendCheckpoints, Checkpoint, lastCheckpoint, resolveLogKey, SEAL_LOCK, verifyLog } from "../src/modules/login-as-customer/log-integrity"

const flag = (name: string, fallback: number) => {
  const at = process.argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`))
  if (at < 0) return fallback
  const value = process.argv[at].includes("=") ? process.argv[at].split("=")[1] : process.argv[at + 1]
  const n = Number(String(value).replace(/_/g, ""))
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a positive whole number, got ${value}`)
  return n
}
const LINES = flag("lines", 1_000_000)
const PER_CHECKPOINT = flag("per-checkpoint", 70)
const CHECK = process.argv.includes("--check")
const TABLE = "login_as_customer_log_entry"
/** Checkpoints written per transaction while sealing. */
const SEAL_PAGE = 5000

async function main() {
  const { knex, stop } = await openPluginDatabase("verify", { poolMax: 3 })
  const key = resolveLogKey("bench-key-0123456789-0123456789-0123456789")!
  try {

    // Like any bulk load, the table's secondary indexes go first and are
    // built again after the load (the same definitions, read from the
    // catalog): maintaining the trigram index line by line was most of a
    // seed's time (266 against 60 µs a line). The triggers stay as they are.
    let t0 = Date.now()
    const { rows: indexes } = await knex.raw(
      `select i.indexname as "name", i.indexdef as "definition" from pg_indexes i
        where i.tablename = ? and i.indexname not in (select conname from pg_constraint where conrelid = ?::regclass)`,
      [TABLE, TABLE]
    )
    for (const index of indexes) await knex.raw(`drop index "${index.name}"`)
    // One transaction per checkpoint, committed inside PostgreSQL (a
    // procedure may COMMIT when CALLed outside a transaction block): each
    // gets its own xact_id from the trigger, as a store's writes do. Lines
    // a year apart in all, 20 admins, 5 000 customers, a session every 20.
    await knex.raw(`create procedure "bench_seed_log"("first" int, "last" int, "total" int, "per" int) language plpgsql as $$
declare
  "lo" int := "first";
  "step" double precision := 31536000.0 / "total";
begin
  perform set_config('synchronous_commit', 'off', false);
  while "lo" <= "last" loop
    insert into ${TABLE}
      (id, event_id, action, actor_type, actor_id, user_id, user_email, customer_id, customer_email, session_id, details, created_at, updated_at)
    select 'lacl_bench' || lpad(g::text, 20, '0'), 'lacev_bench' || lpad(g::text, 20, '0'),
           (array['store_action','store_action','store_action','store_action','session_started','session_ended','ticket_issued','order_placed','assistance_updated','login_denied'])[1 + g % 10],
           'user', 'user_bench' || (g % 20), 'user_bench' || (g % 20), 'agent' || (g % 20) || '@shop.example',
           'cus_bench' || (g % 5000), 'customer' || (g % 5000) || '@mail.example', 'lacs_bench' || (g / 20),
           case when g % 10 < 4
                then jsonb_build_object('method', 'POST', 'path', '/store/carts/cart_bench' || (g / 20) || '/line-items', 'status', 200,
                                        'resource_ids', jsonb_build_array('cart_bench' || (g / 20)))
                else jsonb_build_object('storefront_id', 'web', 'reason', 'Customer asked for help by phone') end,
           now() - make_interval(secs => ("total" - g) * "step"), now() - make_interval(secs => ("total" - g) * "step")
      from generate_series("lo", least("lo" + "per" - 1, "last")) g;
    commit;
    "lo" := "lo" + "per";
  end loop;
end
$$`)
    // Two writers at once, each a half of the lines (the trigger's hashing is
    // most of the time, one core each); their transactions interleave as
    // concurrent writers' do.
    const half = Math.ceil(LINES / 2)
    await Promise.all([
      knex.raw(`call "bench_seed_log"(1, ${half}, ${LINES}, ${PER_CHECKPOINT})`),
      ...(half < LINES ? [knex.raw(`call "bench_seed_log"(${half + 1}, ${LINES}, ${LINES}, ${PER_CHECKPOINT})`)] : []),
    ])
    const loadMs = Date.now() - t0
    for (const index of indexes) await knex.raw(index.definition)
    const seedMs = Date.now() - t0

    // Seal: one checkpoint per writing transaction, chained and signed as the
    // seal job does (under its lock), a page of transactions per query and
    // per insert.
    t0 = Date.now()
    let checkpoints = 0
    await knex.transaction(async (lock: any) => {
      await lock.raw(`select pg_advisory_xact_lock(hashtext(?))`, [SEAL_LOCK])
      let previous: Checkpoint | null = await lastCheckpoint(knex)
      let from = previous ? BigInt(previous.to_xid) : 0n
      for (;;) {
        const { rows } = await knex.raw(
          `select "xact_id"::text as "xact_id", count(*)::text as "line_count",
                  pg_catalog.encode(pg_catalog.sha256(string_agg(pg_catalog.decode("digest", 'hex'), ''::bytea order by "xact_id", "id")), 'hex') as "lines_digest",
                  pg_catalog.to_char(min("created_at") at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "first_line_at",
                  pg_catalog.to_char(max("created_at") at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "last_line_at",
                  array_agg("id" order by "xact_id", "id") as "line_ids"
             from ${TABLE} l where l."xact_id" >= ? group by l."xact_id" order by l."xact_id" limit ${SEAL_PAGE}`,
          [String(from)]
        )
        if (!rows.length) break
        const list = rows.map((row: any) => {
          const to = BigInt(row.xact_id) + 1n
          const fields = {
            kind: "seal" as const,
            from_xid: String(from),
            to_xid: String(to),
            from_seq: null,
            to_seq: null,
            line_count: row.line_count,
            lines_digest: row.lines_digest,
            anchor_digest: null,
            first_line_at: row.first_line_at,
            last_line_at: row.last_line_at,
          }
          from = to
          return { fields, lineIds: row.line_ids }
        })
        previous = await appendCheckpoints(knex, previous, list, key)
        checkpoints += list.length
      }
    })
    await knex.raw(`vacuum (analyze) ${TABLE}`)
    await knex.raw(`vacuum (analyze) login_as_customer_log_checkpoint`)
    const sealMs = Date.now() - t0

    // Verification, quick and full, on one connection and on two,
    // alternately, twice each (full once each past 5 000 000 lines): the
    // first run reads the table from disk into the cache.
    type Run = { full: boolean; parallel: number; ms: number; result: Awaited<ReturnType<typeof verifyLog>> }
    const runs: Run[] = []
    const plan: Array<[boolean, number]> = [
      [false, 1], [false, 2], [true, 1], [true, 2], [false, 1], [false, 2],
      ...(LINES > 5_000_000 ? [] : ([[true, 1], [true, 2]] as Array<[boolean, number]>)),
    ]
    for (const [full, parallel] of plan) {
      t0 = Date.now()
      const result = await verifyLog(knex, key, { parallel, full })
      runs.push({ full, parallel, ms: Date.now() - t0, result })
    }
    const of = (full: boolean, parallel: number) => runs.filter((r) => r.full === full && r.parallel === parallel)
    const best = (full: boolean, parallel: number) => Math.min(...of(full, parallel).map((r) => r.ms))
    const rateOf = (full: boolean, parallel: number) => LINES / (best(full, parallel) / 1000)
    const times = (full: boolean, parallel: number) => of(full, parallel).map((r) => (r.ms / 1000).toFixed(1)).join(" s, ")
    const rate = rateOf(false, 2)
    const rateLine = (full: boolean) =>
      `${Math.round(rateOf(full, 2)).toLocaleString("en")} on 2 connections (${times(full, 2)} s); ${Math.round(rateOf(full, 1)).toLocaleString("en")} on 1 (${times(full, 1)} s)`

    const { rows: sizes } = await knex.raw(
      `select c.relname as "name", pg_catalog.pg_relation_size(c.oid) as "bytes"
         from pg_class c
        where c.oid in (select 'login_as_customer_log_entry'::regclass union all select indexrelid from pg_index where indrelid = 'login_as_customer_log_entry'::regclass
                        union all select 'login_as_customer_log_checkpoint'::regclass)
        order by 2 desc`
    )
    const { rows: [{ toast }] } = await knex.raw(
      `select coalesce(pg_catalog.pg_total_relation_size(reltoastrelid), 0) as "toast" from pg_class where oid = 'login_as_customer_log_entry'::regclass`
    )
    const mb = (bytes: number | string) => `${(Number(bytes) / 2 ** 20).toFixed(0)} MB`
    const perMillion = (ms: number) => `${((ms / 1000) * (1_000_000 / LINES)).toFixed(0)} s per million`
    const ok = runs.every(
      (r) => r.result.verified && r.result.lines === LINES && r.result.recomputed_lines === (r.full ? LINES : 0)
    )
    const rows = [
      [
        "seed (inside PostgreSQL, one transaction per checkpoint; then the indexes)",
        `${(seedMs / 1000).toFixed(0)} s (${perMillion(seedMs)}; load ${(loadMs / 1000).toFixed(0)} s, indexes ${((seedMs - loadMs) / 1000).toFixed(0)} s)`,
        "",
        true,
      ],
      [`seal into ${checkpoints.toLocaleString("en")} signed checkpoints`, `${(sealMs / 1000).toFixed(0)} s (${perMillion(sealMs)})`, "", true],
      [
        `verification of ${LINES.toLocaleString("en")} lines, quick: lines rewritten since their insert recomputed (lines/s)`,
        `${rateLine(false)}${ok ? "" : "; NOT VERIFIED"}`,
        "≥ 1 000 000 lines/s",
        ok && rate >= 1_000_000,
      ],
      [`verification of ${LINES.toLocaleString("en")} lines, full: every line recomputed (lines/s)`, rateLine(true), "", true],
      ...sizes.map((s: { name: string; bytes: string }) => [`size on disk: ${s.name}`, mb(s.bytes), "", true]),
      [`size on disk: ${TABLE} TOAST`, mb(toast), "", true],
    ] as Array<[string, string, string, boolean]>
    console.log(
      ["| measure | value | target | pass |", "|---|---|---|---|", ...rows.map(([m, v, t, p]) => `| ${m} | ${v} | ${t} | ${t ? (p ? "pass" : "**miss**") : ""} |`)].join("\n")
    )
    if (!ok) console.log(JSON.stringify(runs[runs.length - 1].result.first_mismatch))
    if (!ok || (CHECK && rows.some(([, , t, p]) => t && !p))) process.exitCode = 1
  } finally {
    await stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
