import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { createAdmin } from "../../helpers/seed"
import { insertStoreActions, planWithOnlyIndex } from "../../helpers/db"
import { forgetSearchSample } from "../../../src/modules/login-as-customer/utils/log-search"
import { LOG_SEARCH_WORDS } from "../../../src/modules/login-as-customer/utils/log-sql"

/**
 * 12 000 rows: past the exact-count limit (10 000) and past the window of
 * newest rows a text search reads first (2 000), so every path of the list
 * is taken: exact and estimated counts, common texts answered from the
 * newest rows, rare ones from the trigram index.
 */
export default function largeSuite({ api, getContainer }: SuiteContext) {
  let admin: Awaited<ReturnType<typeof createAdmin>>
  const list = async (query: string) => {
    const res = await api.get(`/admin/login-as-customer/log?${query}`, admin.headers)
    expect(res.status).toBe(200)
    return res.data as { log_entries: Array<{ id: string; customer_email: string }>; count: number; count_estimated: boolean }
  }
  /** The ids of lines `prefix` + g (g from `count` down to 1, newest first) whose g `holds`. */
  const newestHolding = (prefix: string, count: number, holds: (g: number) => boolean) => {
    const out: string[] = []
    for (let g = count; g >= 1; g--) if (holds(g)) out.push(`${prefix}${String(g).padStart(6, "0")}`)
    return out
  }
  const ids = (from: number, to: number, step = 1) => {
    const out: string[] = []
    for (let g = to; g >= from; g -= step) out.push(`lacl_big_${String(g).padStart(6, "0")}`)
    return out
  }

  /**
   * `requests` run at once, pg_stat_activity watched meanwhile: their answers,
   * and the most statements like `pattern` other connections ran at once.
   */
  const atOnce = async <T,>(pattern: string, requests: Array<() => Promise<T>>) => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const running = async () =>
      Number(
        (
          await knex.raw(
            `select count(*)::int as "n" from pg_stat_activity
              where datname = current_database() and state = 'active' and pid <> pg_backend_pid()
                and query like ? and query not like '%pg_stat_activity%'`,
            [pattern]
          )
        ).rows[0].n
      )
    let most = 0
    let done = false
    const watch = (async () => {
      while (!done) most = Math.max(most, await running())
    })()
    const answers = await Promise.all(requests.map((request) => request()))
    done = true
    await watch
    return { answers, most }
  }

  const storeActions = (prefix: string, count: number, from: string) => insertStoreActions(getContainer(), prefix, count, from)

  beforeEach(async () => {
    admin = await createAdmin(api, getContainer())
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // Row g (newest = 12000): customer rare@… only for g = 100, 200 and 300
    // (old rows, outside the newest 2 000); every row's email has "shop".
    await knex.raw(`
        insert into login_as_customer_log_entry (id, action, actor_type, user_id, customer_id, customer_email, created_at)
        select 'lacl_big_' || lpad(g::text, 6, '0'),
               case when g % 4 = 0 then 'order_placed' else 'store_action' end,
               'user', 'user_' || (g % 3), 'cus_' || g,
               case when g in (100, 200, 300) then 'rare.Person@shop.example' else 'c' || g || '@shop.example' end,
               timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
          from generate_series(1, 12000) g`)
    await knex.raw("analyze login_as_customer_log_entry")
  })

  it("counts exactly up to 10 000 matches, estimates past that and says so", async () => {
    const all = await list("limit=3")
    expect(all.count_estimated).toBe(true)
    expect(all.count).toBeGreaterThan(10_000)
    expect(all.log_entries.map((e) => e.id)).toEqual(ids(11998, 12000))

    const orders = await list("action=order_placed&limit=2")
    expect(orders).toMatchObject({ count: 3000, count_estimated: false })
    expect(orders.log_entries.map((e) => e.id)).toEqual(["lacl_big_012000", "lacl_big_011996"])

    const oneAdmin = await list("user_id=user_1&limit=1&offset=2")
    expect(oneAdmin).toMatchObject({ count: 4000, count_estimated: false })
    expect(oneAdmin.log_entries.map((e) => e.id)).toEqual(["lacl_big_011992"])
  })

  it("finds a rare text among old rows, with its exact count, in every order and page", async () => {
    const rare = await list("q=RARE.person")
    expect(rare).toMatchObject({ count: 3, count_estimated: false })
    expect(rare.log_entries.map((e) => e.id)).toEqual(["lacl_big_000300", "lacl_big_000200", "lacl_big_000100"])

    const ascending = await list("q=rare.person&order=created_at&limit=1&offset=1")
    expect(ascending).toMatchObject({ count: 3, count_estimated: false })
    expect(ascending.log_entries.map((e) => e.id)).toEqual(["lacl_big_000200"])

    // The columns are matched one by one: text spanning two of them is no match.
    expect(await list("q=store_action%20c")).toMatchObject({ log_entries: [], count: 0 })
    expect(await list("q=nothing%20like%20this")).toMatchObject({ log_entries: [], count: 0, count_estimated: false })
  })

  it("finds an email made of common names through its rare part: only the lines holding the whole text", async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // "emma." and "yilmaz" in 3 000 old lines; the email itself in 3 of them
    // and in one reason; 10 lines hold its rare part ("az4242@") only. (The
    // sample is the planner's histogram, the lowest and highest texts always
    // in it: the email sorts in the middle, a sentinel sorts last.)
    await knex.raw(`
        insert into login_as_customer_log_entry (id, action, actor_type, user_id, customer_id, customer_email, details, created_at)
        select 'lacl_name_' || lpad(g::text, 6, '0'), 'store_action', 'user', 'user_' || (g % 3), 'cus_n' || g,
               case when g <= 3000 then 'emma.yilmaz' || (g % 1000) || '@shop.example'
                    when g <= 3003 then 'eMMa.Yilmaz4242@web.de'
                    when g <= 3013 then 'noah.yilmaz4242@web.de'
                    when g = 3014 then 'd-someone@web.de'
                    else 'zz-last@shop.example' end,
               case when g = 3014 then '{"reason": "Call from EMMA.YILMAZ4242@web.de"}'::jsonb end,
               timestamptz '2025-06-01 00:00:00+00' + g * interval '1 minute'
          from generate_series(1, 3015) g`)
    await knex.raw("analyze login_as_customer_log_entry")
    forgetSearchSample()
    const found = await list("q=emma.yilmaz4242%40&limit=2&offset=1")
    expect(found).toMatchObject({ count: 4, count_estimated: false })
    expect(found.log_entries.map((e) => e.id)).toEqual(["lacl_name_003003", "lacl_name_003002"])
    const first = await list("q=emma.yilmaz4242%40&limit=1")
    expect(first.log_entries.map((e) => e.id)).toEqual(["lacl_name_003014"])
  })

  it("answers a common text from the newest rows: the right page, an estimate near the truth", async () => {
    const common = await list("q=shop.example&limit=4&offset=10")
    expect(common.log_entries.map((e) => e.id)).toEqual(ids(11987, 11990))
    expect(common.count_estimated).toBe(true)
    expect(common.count).toBeGreaterThan(10_000)
    expect(common.count).toBeLessThan(15_000)

    // "cus_1" is in every newest row (cus_10000…cus_12000) and in older
    // ones: 3 112 lines, counted exactly (the newest lines' share, all of
    // them, is not the log's).
    const medium = await list("q=cus_1&limit=3&offset=1")
    expect(medium.log_entries.map((e) => e.id)).toEqual(ids(11997, 11999))
    expect(medium).toMatchObject({ count: 3112, count_estimated: false })
    // "c11" in half the newest 2 000 lines' emails (c11000…c11999) and 111 older ones: 1 111, in every order and page.
    const half = await list("q=c11&limit=3")
    expect(half).toMatchObject({ count: 1111, count_estimated: false })
    expect(half.log_entries.map((e) => e.id)).toEqual(ids(11997, 11999))
    const oldest = await list("q=c11&limit=2&order=created_at")
    expect(oldest).toMatchObject({ count: 1111, count_estimated: false })
    expect(oldest.log_entries.map((e) => e.id)).toEqual(["lacl_big_000011", "lacl_big_000110"])
    expect(await list("q=c11&limit=2&offset=1000")).toMatchObject({ count: 1111, count_estimated: false })
  })

  it("counts exactly a text common in the log but on none of the lines another filter keeps, and a text spanning two columns", async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // 300 000 older lines: two in three orders placed holding "zzneg" (the
    // sample shows it in most of the log), one in three store actions without it.
    await knex.raw(`
        insert into login_as_customer_log_entry (id, action, actor_type, user_id, customer_id, customer_email, created_at)
        select 'lacl_neg_' || lpad(g::text, 6, '0'), case when g % 3 = 0 then 'store_action' else 'order_placed' end, 'user',
               'user_' || (g % 3), 'cus_z' || g,
               case when g % 3 = 0 then 'z' || g || '@shop.example' else 'zzneg' || g || '@shop.example' end,
               timestamptz '2025-01-01 00:00:00+00' + g * interval '1 second'
          from generate_series(1, 300000) g`)
    await knex.raw("analyze login_as_customer_log_entry")
    forgetSearchSample()
    for (const order of ["", "&order=created_at"]) {
      expect(await list(`q=zzneg&action=store_action&limit=5${order}`)).toMatchObject({ log_entries: [], count: 0, count_estimated: false })
      // The end of every email and the start of every action: side by side in the joined text, in no column.
      expect(await list(`q=example%20store&limit=5${order}`)).toMatchObject({ log_entries: [], count: 0, count_estimated: false })
    }
  }, 300_000)

  it("reads the newest lines for the page of a text with more than 10 000 matches that the newest 2 000 hold too few of", async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // 22 000 lines newer than the others, every second one with the text
    // (in the email, or in every fifth of them in the reason): 11 000
    // matches, 1 000 of them among the newest 2 000 lines.
    await knex.raw(`
        insert into login_as_customer_log_entry (id, action, actor_type, user_id, customer_id, customer_email, details, created_at)
        select 'lacl_walk_' || lpad(g::text, 6, '0'), 'store_action', 'user', 'user_' || (g % 3), 'cus_k' || g,
               case when g % 2 = 0 and g % 10 <> 0 then 'Walk.Text' || g || '@shop.example' else 'k' || g || '@shop.example' end,
               case when g % 10 = 0 then '{"reason": "Call about walk.TEXT"}'::jsonb end,
               timestamptz '2026-02-01 00:00:00+00' + g * interval '1 second'
          from generate_series(1, 22000) g`)
    await knex.raw("analyze login_as_customer_log_entry")
    forgetSearchSample()
    const walked = (from: number, count: number) => {
      const out: string[] = []
      for (let g = 22000 - 2 * from; out.length < count; g -= 2) out.push(`lacl_walk_${String(g).padStart(6, "0")}`)
      return out
    }
    // The page past the newest 2 000 lines' 1 000 matches, and the first.
    const deep = await list("q=walk.text&limit=20&offset=1200")
    expect(deep.log_entries.map((e) => e.id)).toEqual(walked(1200, 20))
    expect(deep.count_estimated).toBe(true)
    expect(deep.count).toBeGreaterThan(10_000)
    const first = await list("q=WALK.TEXT&limit=3")
    expect(first.log_entries.map((e) => e.id)).toEqual(walked(0, 3))
    // Oldest first, past the 12 000 older lines without it; the estimate the same on every page and in both orders.
    const oldest = await list("q=walk.text&limit=3&order=created_at")
    expect(oldest.log_entries.map((e) => e.id)).toEqual(["lacl_walk_000002", "lacl_walk_000004", "lacl_walk_000006"])
    expect(new Set([deep.count, first.count, oldest.count]).size).toBe(1)
    expect(first.count_estimated && oldest.count_estimated).toBe(true)
  })

  it("reads a deep page of a text in many lines down to it, and through the index when those lines hold too few", async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // 150 000 lines newer than the others: every third one with deep.third
    // in the email (50 000 matches); tail.heavy in the reason of the newest
    // 2 000 and of every fifth one before them (31 600 matches).
    await knex.raw(`
        insert into login_as_customer_log_entry (id, action, actor_type, user_id, customer_id, customer_email, details, created_at)
        select 'lacl_deep_' || lpad(g::text, 6, '0'), 'store_action', 'user', 'user_' || (g % 3), 'cus_d' || g,
               case when g % 3 = 0 then 'Deep.Third' || g || '@shop.example' else 'd' || g || '@shop.example' end,
               case when g > 148000 or g % 5 = 0 then '{"reason": "Call about TAIL.heavy"}'::jsonb end,
               timestamptz '2026-03-01 00:00:00+00' + g * interval '1 second'
          from generate_series(1, 150000) g`)
    await knex.raw("analyze login_as_customer_log_entry")
    forgetSearchSample()
    const third = newestHolding("lacl_deep_", 150000, (g) => g % 3 === 0)
    const heavy = newestHolding("lacl_deep_", 150000, (g) => g > 148000 || g % 5 === 0)
    const counts = new Set<number>()
    // Newest first the page is 36 000 lines down (the walk reads 45 000); oldest first, past the 12 000 older lines without the text.
    for (const [query, expected] of [
      ["q=deep.third&limit=20&offset=12000", third.slice(12000, 12020)],
      ["q=DEEP.THIRD&limit=20&offset=12000&order=created_at", [...third].reverse().slice(12000, 12020)],
      ["q=deep.third&limit=20", third.slice(0, 20)],
    ] as const) {
      const answer = await list(query)
      expect(answer.log_entries.map((e) => e.id)).toEqual(expected)
      expect(answer.count_estimated).toBe(true)
      counts.add(answer.count)
    }
    expect(counts.size).toBe(1)
    expect([...counts][0]).toBeGreaterThan(10_000)
    // The newest 2 000 lines all hold tail.heavy: the 20 000 lines the walk reads hold 5 600, not the page at 10 000.
    const fallsShort = await list("q=tail.heavy&limit=20&offset=10000")
    expect(fallsShort.log_entries.map((e) => e.id)).toEqual(heavy.slice(10000, 10020))
    expect(fallsShort.count_estimated).toBe(true)
    const held = await list("q=tail.heavy&limit=20&offset=5000")
    expect(held.log_entries.map((e) => e.id)).toEqual(heavy.slice(5000, 5020))
    expect(held.count).toBe(fallsShort.count)
  }, 300_000)

  it("walks no further than a text's estimated matches, and estimates a text with a space from the column that holds it", async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // 60 000 lines newer than the others: fresh… in the email of the newest
    // 15 000 only; "Customer asked about it" in the reason of two in three
    // of the 45 000 before them (30 000 matches, none among the newest lines).
    await knex.raw(`
        insert into login_as_customer_log_entry (id, action, actor_type, user_id, customer_id, customer_email, details, created_at)
        select 'lacl_fresh_' || lpad(g::text, 6, '0'), 'store_action', 'user', 'user_' || (g % 3), 'cus_f' || g,
               case when g > 45000 then 'Fresh' || g || '@x.example' else 'o' || g || '@shop.example' end,
               case when g <= 45000 and g % 3 <> 0 then '{"reason": "Customer asked about it"}'::jsonb end,
               timestamptz '2026-03-01 00:00:00+00' + g * interval '1 second'
          from generate_series(1, 60000) g`)
    await knex.raw("analyze login_as_customer_log_entry")
    forgetSearchSample()
    const fresh = newestHolding("lacl_fresh_", 60000, (g) => g > 45000)
    const asked = newestHolding("lacl_fresh_", 60000, (g) => g <= 45000 && g % 3 !== 0)
    // Every one of the newest lines holds fresh: their share is not the log's. The last page, and pages past it.
    expect((await list("q=fresh&limit=20&offset=14990")).log_entries.map((e) => e.id)).toEqual(fresh.slice(14990))
    for (const offset of [15000, 40000, 1000000]) {
      expect(await list(`q=fresh&limit=20&offset=${offset}`)).toMatchObject({ log_entries: [], count_estimated: true })
    }
    // In one column (the reason) of two in three older lines: its count estimated from them, and its pages.
    const first = await list("q=customer%20asked&limit=20")
    expect(first.log_entries.map((e) => e.id)).toEqual(asked.slice(0, 20))
    expect(first.count_estimated).toBe(true)
    expect(first.count).toBeGreaterThan(15_000)
    expect(first.count).toBeLessThan(45_000)
    const oldest = await list("q=Customer%20Asked&limit=20&offset=5000&order=created_at")
    expect(oldest.log_entries.map((e) => e.id)).toEqual([...asked].reverse().slice(5000, 5020))
    expect(oldest.count).toBe(first.count)
  }, 300_000)

  it("runs at most two text searches past the newest lines at once; the others wait their turn and answer", async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // 60 000 store actions of three admins: the action's name with an admin is counted up to 10 001.
    await storeActions("lacl_slot_", 60000, "2026-03-01T00:00:00Z")
    await knex.raw("analyze login_as_customer_log_entry")
    forgetSearchSample()
    // The count (through an index, or among the admin's lines) is the only statement that keeps its matches "as materialized".
    const { answers, most } = await atOnce(
      '%"matched" as materialized%',
      Array.from({ length: 8 }, (_, i) => () => list(`q=store_action&user_id=user_${i % 3}&limit=5`))
    )
    expect(most).toBeGreaterThan(0)
    expect(most).toBeLessThanOrEqual(2)
    answers.forEach((answer, i) => {
      const g = [60000, 59999, 59998].find((n) => n % 3 === i % 3)!
      expect(answer.log_entries[0].id).toBe(`lacl_slot_${String(g).padStart(6, "0")}`)
      expect(answer.count).toBeGreaterThan(10_000)
    })
  }, 300_000)

  it("reads at most two deep pages at once; the others wait their turn and answer", async () => {
    await storeActions("lacl_page_", 90000, "2025-03-01T00:00:00Z")
    // A page's statement reads every line before its offset.
    const { answers, most } = await atOnce(
      '%order by "created_at" desc, "id" desc%offset%',
      Array.from({ length: 8 }, (_, i) => () => list(`limit=5&offset=${90000 + i}`))
    )
    expect(most).toBeGreaterThan(0)
    expect(most).toBeLessThanOrEqual(2)
    // The 12 000 newer lines first, then these newest first: offset 90 000 + i is line 12 000 - i of them.
    answers.forEach((answer, i) => expect(answer.log_entries[0].id).toBe(`lacl_page_${String(12000 - i).padStart(6, "0")}`))
  }, 300_000)

  it("finds a text by its whole words through the words index: the lines each column holds, exact counts, after an erasure too", async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // 300 old lines, six customers: the text, in other cases, inside a
    // longer email, the word without the text, a longer word, another
    // text; the text also in some reasons.
    const emails = ["emma.yilmaz4242@web.de", "EMMA.YILMAZ4242@WEB.DE", "noah.yilmaz4242@web.de", "gemma.yilmaz4242@web.de", "emma.yilmaz42420@web.de", "emma.yilmaz4242.x@web.de"]
    await knex.raw(
      `insert into login_as_customer_log_entry (id, action, actor_type, user_id, customer_id, customer_email, session_id, details, created_at)
       select 'lacl_word_' || lpad(g::text, 6, '0'), case when g % 3 = 0 then 'order_placed' else 'store_action' end, 'user',
              'user_' || (g % 3), 'cus_w' || (g % 6), (?::text[])[1 + g % 6], 'lacs_w' || (g % 7),
              case when g % 50 = 1 then '{"reason": "Call from Emma.Yilmaz4242@web.de"}'::jsonb end,
              timestamptz '2025-03-01 00:00:00+00' + g * interval '1 minute'
         from generate_series(1, 300) g`,
      [emails]
    )
    await knex.raw("analyze login_as_customer_log_entry")
    forgetSearchSample()
    // What each column holds, read by a scan of the table: no index involved.
    const truth = (q: string, action?: string) =>
      knex.transaction(async (trx: any) => {
        await trx.raw("set local enable_indexscan = off; set local enable_bitmapscan = off")
        const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
        const columns = ["user_email", "customer_email", "action", "session_id", "customer_id", "user_id", "details ->> 'reason'"]
        const { rows } = await trx.raw(
          `select "id" from login_as_customer_log_entry
            where "deleted_at" is null ${action ? `and "action" = '${action}'` : ""} and (${columns.map((c) => `${c} ilike ?`).join(" or ")})
            order by "created_at" desc, "id" desc`,
          columns.map(() => pattern)
        )
        return rows.map((row: { id: string }) => row.id) as string[]
      })
    const texts = ["emma.yilmaz4242@", "EMMA.Yilmaz4242@WEB", ".yilmaz4242@web.de", "from Emma.yilmaz4242@", "lacs_w3 cus", "action lacs_w3", "4242@web"]
    const same = async () => {
      for (const q of texts) {
        for (const action of [undefined, "order_placed"]) {
          const expected = await truth(q, action)
          const query = `q=${encodeURIComponent(q)}${action ? `&action=${action}` : ""}`
          const first = await list(`${query}&limit=20`)
          expect({ q, action, count: first.count, estimated: first.count_estimated }).toEqual({ q, action, count: expected.length, estimated: false })
          expect(first.log_entries.map((e) => e.id)).toEqual(expected.slice(0, 20))
          const later = await list(`${query}&limit=20&offset=40&order=created_at`)
          expect(later.log_entries.map((e) => e.id)).toEqual([...expected].reverse().slice(40, 60))
        }
      }
    }
    const before = (await truth("emma.yilmaz4242@")).length
    expect(before).toBeGreaterThan(100)
    await same()

    // The words are looked up in their own index (a few thousand lines are read fastest without it).
    const plan = await planWithOnlyIndex(
      knex,
      "IDX_login_as_customer_log_entry_search_words",
      `select "id" from "login_as_customer_log_entry" where "deleted_at" is null and ${LOG_SEARCH_WORDS} @> array[lower(?)]`,
      ["Yilmaz4242"]
    )
    expect(plan).toContain(`Bitmap Index Scan on "IDX_login_as_customer_log_entry_search_words"`)

    // Erasure rewrites the emails and reasons of cus_w0 and cus_w1: the index follows.
    for (const customer_id of ["cus_w0", "cus_w1"]) {
      expect((await api.post("/admin/login-as-customer/log/erase", { customer_id }, admin.headers)).status).toBe(200)
    }
    const after = (await truth("emma.yilmaz4242@")).length
    expect(after).toBeGreaterThan(0)
    expect(after).toBeLessThan(before)
    await same()
  })
}
