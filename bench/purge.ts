// `node -r ts-node/register/transpile-only bench/purge.ts`: retention at
// scale. Seeds BENCH_PURGE_ROWS log lines (default 1 000 000) on a real
// PostgreSQL with the plugin's migrations, written as a store writes them
// (1 000 lines per transaction) and sealed every 10 000, then removes them all
// through the retention path while one client keeps appending lines and
// another keeps reading the log's first page, and reports how long each of
// those ever waited, the purge's longest batch, and that the chain verifies.
import fs from "fs"
import path from "path"
import { openPluginDatabase } from "./plugin-db"
import { percentile } from "./harness"
import { purgeLog, resolveLogKey, sealLog, verifyLog } from "../src/modules/login-as-customer/log-integrity"

const ROWS = Number(process.env.BENCH_PURGE_ROWS ?? 1_000_000)
const PER_TRANSACTION = 1000
const PER_SEAL = 10_000

async function main() {
  const { knex, stop } = await openPluginDatabase("purge", { poolMax: 4 })
  const key = resolveLogKey("bench-key-0123456789-0123456789-0123456789")
  try {
    let t0 = Date.now()
    for (let done = 0; done < ROWS; done += PER_TRANSACTION) {
      await knex.raw(
        `insert into login_as_customer_log_entry (id, action, actor_type, actor_id, user_id, user_email, customer_id, customer_email, session_id, details)
         select 'lacl_purge' || lpad(g::text, 12, '0'), 'store_action', 'user', 'user_bench' || (g % 20), 'user_bench' || (g % 20),
                'agent' || (g % 20) || '@shop.example', 'cus_bench' || (g % 5000), 'customer' || (g % 5000) || '@mail.example',
                'lacs_bench' || (g / 20), jsonb_build_object('method', 'POST', 'path', '/store/carts', 'status', 200, 'reason', 'phone call')
           from generate_series(?::int, ?::int) g`,
        [done + 1, Math.min(done + PER_TRANSACTION, ROWS)]
      )
      if ((done + PER_TRANSACTION) % PER_SEAL === 0) await sealLog(knex, key)
    }
    while (await sealLog(knex, key)) {}
    await knex.raw(`vacuum (analyze) login_as_customer_log_entry`)
    const seeded = Date.now() - t0
    const [{ size }] = (await knex.raw(`select pg_size_pretty(pg_total_relation_size('login_as_customer_log_entry')) as size`)).rows

    t0 = Date.now()
    const before = await verifyLog(knex, key)
    const verifyMs = Date.now() - t0

    // Load beside the purge: a writer appending lines, a reader paging the log.
    let running = true
    const writes: number[] = []
    const reads: number[] = []
    let n = 0
    const writer = (async () => {
      while (running) {
        const s = process.hrtime.bigint()
        await knex.raw(
          `insert into login_as_customer_log_entry (id, action, actor_type) values (?, 'store_action', 'user')`,
          [`lacl_live${n++}`]
        )
        writes.push(Number(process.hrtime.bigint() - s) / 1e6)
      }
    })()
    const reader = (async () => {
      while (running) {
        const s = process.hrtime.bigint()
        await knex.raw(
          `select * from login_as_customer_log_entry where deleted_at is null order by created_at desc, id desc limit 20`
        )
        await knex.raw(
          `select count(*) from (select 1 from login_as_customer_log_entry where deleted_at is null limit 10001) c`
        )
        reads.push(Number(process.hrtime.bigint() - s) / 1e6)
      }
    })()
    t0 = Date.now()
    const purged = await purgeLog(knex, key, 1, { now: new Date(Date.now() + 2 * 86_400_000) })
    const purgeMs = Date.now() - t0
    running = false
    await Promise.all([writer, reader])
    while (await sealLog(knex, key)) {}
    const after = await verifyLog(knex, key)

    const ms = (v: number) => `${v.toFixed(1)} ms`
    const lines = [
      `lines: ${ROWS.toLocaleString("en")} (${size}), seeded and sealed in ${(seeded / 1000).toFixed(0)} s`,
      `verify before: ${before.verified} in ${(verifyMs / 1000).toFixed(1)} s (${Math.round(ROWS / (verifyMs / 1000)).toLocaleString("en")} lines/s)`,
      `purge: ${purged.removed_lines.toLocaleString("en")} lines, ${purged.removed_checkpoints} checkpoints, ${purged.batches} batches in ${(purgeMs / 1000).toFixed(1)} s; longest batch ${ms(purged.longest_batch_ms)}`,
      `writer during purge: ${writes.length} inserts, p50 ${ms(percentile(writes, 50))}, p99 ${ms(percentile(writes, 99))}, max ${ms(Math.max(...writes))}`,
      `reader during purge: ${reads.length} first pages + counts, p50 ${ms(percentile(reads, 50))}, p99 ${ms(percentile(reads, 99))}, max ${ms(Math.max(...reads))}`,
      `verify after: ${after.verified}, ${after.lines} lines, ${after.removed_lines.toLocaleString("en")} removed, first_mismatch ${JSON.stringify(after.first_mismatch)}`,
    ]
    console.log(lines.join("\n"))
    if (!after.verified || !before.verified) process.exitCode = 1
  } finally {
    await stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
