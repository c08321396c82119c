import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { createAdmin } from "../../helpers/seed"
import { forgetSearchSample, searchSample, textShare } from "../../../src/modules/login-as-customer/utils/log-search"
import type { ModuleManager } from "../../../src/modules/login-as-customer/utils/sql"

const TEXT_INDEXES = ["IDX_login_as_customer_log_entry_search_trgm", "IDX_login_as_customer_log_entry_search_words"]

/**
 * A text in most of the log with another filter (an admin, an action): its
 * matches are counted among the lines the filter keeps, through the
 * filter's index, when those are fewer than the lines holding the text.
 */
export default function narrowedSuite({ api, getContainer }: SuiteContext) {
  let admin: Awaited<ReturnType<typeof createAdmin>>
  const list = async (query: string) => {
    const res = await api.get(`/admin/login-as-customer/log?${query}`, admin.headers)
    expect(res.status).toBe(200)
    return res.data as { log_entries: Array<{ id: string }>; count: number; count_estimated: boolean }
  }

  beforeEach(async () => {
    admin = await createAdmin(api, getContainer())
  })

  it("counts and pages a common text (or one made of common words) among the lines an admin or an action keeps, through that filter's index, not the text's", async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // 120 000 store actions of eight admins (15 000 each); "wideword" in the
    // email of every line but user_w2's, where only every third holds it
    // (5 000): 110 000 lines. 3 000 orders placed without it.
    await knex.raw(`
        insert into login_as_customer_log_entry (id, action, actor_type, user_id, customer_id, customer_email, created_at)
        select 'lacl_nar_' || lpad(g::text, 6, '0'), case when g > 120000 then 'order_placed' else 'store_action' end, 'user',
               'user_w' || (g % 8), 'cus_n' || g,
               case when g <= 120000 and (g % 8 <> 2 or g % 3 = 0) then 'wideword' || g || '@shop.example' else 'n' || g || '@shop.example' end,
               timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
          from generate_series(1, 123000) g`)
    await knex.raw("analyze login_as_customer_log_entry")
    forgetSearchSample()
    const scans = async () => {
      const { rows } = await knex.raw(
        `select indexrelname as "name", idx_scan::int as "scans" from pg_stat_user_indexes where relname = 'login_as_customer_log_entry'`
      )
      return new Map<string, number>(rows.map((row: { name: string; scans: number }) => [row.name, row.scans]))
    }
    const before = await scans()

    const w2 = await list("q=WideWord&user_id=user_w2&limit=5&offset=100")
    expect(w2).toMatchObject({ count: 5000, count_estimated: false })
    expect(w2.log_entries.map((e) => e.id)).toEqual(newest((g) => g % 8 === 2 && g % 3 === 0).slice(100, 105))
    const w1 = await list("q=wideword&user_id=user_w1&limit=5&offset=3000&order=created_at")
    expect(w1.count_estimated).toBe(true)
    expect(w1.count).toBeGreaterThan(10_000)
    expect(w1.log_entries.map((e) => e.id)).toEqual(newest((g) => g % 8 === 1).reverse().slice(3000, 3005))
    expect(await list("q=wideword&action=order_placed&limit=5")).toMatchObject({ log_entries: [], count: 0, count_estimated: false })
    // Past the lines the walk may read (20 000), the page too is read among the admin's lines.
    expect(await list("q=wideword&user_id=user_w1&limit=5&offset=16000")).toMatchObject({ log_entries: [], count_estimated: true })
    // In no line, though the words it is made of are in every one: the trigram index would return all of them.
    expect(await list("q=example.shop&user_id=user_w3&limit=5")).toMatchObject({ log_entries: [], count: 0, count_estimated: false })

    // PostgreSQL counts a connection's index scans when it is next idle, or
    // at most ten seconds later. Each request read the newest lines through
    // the time's index first: those show the counts are kept.
    await new Promise((resolve) => setTimeout(resolve, 11_000))
    const after = await scans()
    const byTime = "IDX_login_as_customer_log_entry_created_at"
    expect(after.get(byTime)! - before.get(byTime)!).toBeGreaterThanOrEqual(3)
    for (const index of TEXT_INDEXES) {
      expect({ index, scans: after.get(index) }).toEqual({ index, scans: before.get(index) })
    }
  }, 300_000)

  it("estimates a text that goes with its filter from its share among that filter's lines, the same in either order and on every page", async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // 66 000 lines: every third a refusal (22 000) whose email says
    // "refusedmail", and every second of those "halfmark" too (11 000); the
    // store actions hold neither. In the whole log the texts are in a third
    // and a sixth of the lines: times the refusals, 7 333 and 3 667. The
    // newest 16 500 store actions (of 44 000) say "freshmark": at the ends of
    // the store actions, in half of them (22 000), in the log a quarter.
    await knex.raw(`
        insert into login_as_customer_log_entry (id, action, actor_type, customer_id, customer_email, created_at)
        select 'lacl_cor_' || lpad(g::text, 6, '0'), case when g % 3 = 0 then 'login_denied' else 'store_action' end, 'user', 'cus_c' || g,
               case when g % 6 = 0 then 'halfmark' || g || '@refusedmail.example'
                    when g % 3 = 0 then 'c' || g || '@refusedmail.example'
                    when g > 41250 then 'freshmark' || g || '@shop.example'
                    else 'c' || g || '@shop.example' end,
               timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
          from generate_series(1, 66000) g`)
    await knex.raw("analyze login_as_customer_log_entry")
    forgetSearchSample()
    for (const query of ["limit=5", "limit=5&order=created_at", "limit=5&offset=3000"]) {
      const all = await list(`q=refusedmail&action=login_denied&${query}`)
      expect(all.count_estimated).toBe(true)
      expect({ query, count: all.count, within: all.count >= 20_500 && all.count <= 23_500 }).toMatchObject({ within: true })
      const half = await list(`q=halfmark&action=login_denied&${query}`)
      expect(half.count_estimated).toBe(true)
      expect({ query, count: half.count, within: half.count >= 10_300 && half.count <= 11_700 }).toMatchObject({ within: true })
      const fresh = await list(`q=freshmark&action=store_action&${query}`)
      expect(fresh.count_estimated).toBe(true)
      expect({ query, count: fresh.count, within: fresh.count >= 14_500 && fresh.count <= 18_500 }).toMatchObject({ within: true })
    }
    expect(await list("q=refusedmail&action=store_action&limit=5")).toMatchObject({ log_entries: [], count: 0, count_estimated: false })
  })

  it("estimates from a sample of a thousand values of the searched text: a text in under 1 % of the lines is in it", async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // 29 000 lines (ANALYZE reads every one), their searched texts in the
    // order of g; zzblock in 210 of them, all between the 50th and the 51st
    // percentile: none of the 101 values a sample of 100 keeps.
    await knex.raw(`
        insert into login_as_customer_log_entry (id, action, actor_type, customer_id, customer_email, created_at)
        select 'lacl_smp_' || lpad(g::text, 6, '0'), 'store_action', 'user', 'cus_m' || g,
               'm' || lpad(g::text, 6, '0') || case when g between 14541 and 14750 then 'zzblock' else '' end || '@shop.example',
               timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
          from generate_series(1, 29000) g`)
    await knex.raw("analyze login_as_customer_log_entry")
    forgetSearchSample()
    const manager = { execute: async (sql: string, params: unknown[]) => (await knex.raw(sql, params)).rows }
    const sample = await searchSample(manager as unknown as ModuleManager)
    expect(sample.random.length).toBeGreaterThanOrEqual(1000)
    const share = textShare("zzblock", sample)
    expect(share).toBeGreaterThan(0.004)
    expect(share).toBeLessThan(0.011)
  })
}

/** The ids of the store actions g (newest first) whose g `holds`. */
function newest(holds: (g: number) => boolean): string[] {
  const out: string[] = []
  for (let g = 120000; g >= 1; g--) if (holds(g)) out.push(`lacl_nar_${String(g).padStart(6, "0")}`)
  return out
}
