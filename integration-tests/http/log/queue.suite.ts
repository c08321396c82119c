import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { createAdmin } from "../../helpers/seed"
import { insertStoreActions } from "../../helpers/db"
import { forgetSearchSample } from "../../../src/modules/login-as-customer/utils/log-search"
import { SEARCH_QUEUE, searchSlots } from "../../../src/modules/login-as-customer/services/log-queries"

/**
 * The queue of searches past the newest lines (SEARCH_SLOTS at once): a
 * search whose admin gave up leaves it, and one more than SEARCH_QUEUE
 * waiting is refused at once. The test holds both slots itself (the app
 * runs in this process), so what waits is known, not raced.
 */
export default function queueSuite({ api, getContainer }: SuiteContext) {
  let admin: Awaited<ReturnType<typeof createAdmin>>
  let held: Array<() => void> = []
  const search = (i: number, signal?: AbortSignal) =>
    api.get(`/admin/login-as-customer/log?q=store_action&user_id=user_${i % 3}&limit=5`, {
      ...admin.headers,
      signal,
      validateStatus: () => true,
    })
  /** The newest of admin user_(i % 3)'s lines (10 000 of the 30 000 each). */
  const newestOf = (i: number) => `lacl_q_${String([30000, 29999, 29998].find((g) => g % 3 === i % 3)).padStart(6, "0")}`
  const until = async (what: string, done: () => boolean) => {
    const deadline = Date.now() + 60_000
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  beforeEach(async () => {
    admin = await createAdmin(api, getContainer())
    await insertStoreActions(getContainer(), "lacl_q_", 30000, "2026-03-01T00:00:00Z")
    await getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION).raw("analyze login_as_customer_log_entry")
    forgetSearchSample()
    // Both slots, so every search past the newest lines waits.
    held = [await searchSlots(), await searchSlots()]
  })

  afterEach(() => held.forEach((release) => release()))

  it("drops the searches whose admins gave up waiting: they leave the queue and never run", async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const controllers = Array.from({ length: 6 }, () => new AbortController())
    const answers = controllers.map((controller, i) => search(i, controller.signal))
    const outcomes = answers.map((answer) => answer.then((res) => res.status, (error) => error.code))
    await until("six searches wait", () => searchSlots.waiting() === 6)
    controllers.slice(0, 4).forEach((controller) => controller.abort())
    // The server sees each connection close and takes its search out of the queue.
    await until("two searches wait", () => searchSlots.waiting() === 2)
    expect(await Promise.all(outcomes.slice(0, 4))).toEqual(Array(4).fill("ERR_CANCELED"))
    // Every count statement that starts from now on, by its backend and start.
    const started = new Set<string>()
    let done = false
    const watch = (async () => {
      while (!done) {
        const { rows } = await knex.raw(
          `select pid, query_start from pg_stat_activity
            where datname = current_database() and state = 'active' and pid <> pg_backend_pid()
              and query like '%"matched" as materialized%' and query not like '%pg_stat_activity%'`
        )
        rows.forEach((row: { pid: number; query_start: Date }) => started.add(`${row.pid} ${row.query_start.toISOString()}`))
      }
    })()
    held.forEach((release) => release())
    const kept = await Promise.all(answers.slice(4))
    done = true
    await watch
    kept.forEach((res, k) => {
      expect(res.status).toBe(200)
      expect(res.data.log_entries[0].id).toBe(newestOf(4 + k))
      expect(res.data).toMatchObject({ count: 10_000, count_estimated: false })
    })
    // The two searches still asked for: each counted once; the four abandoned, never.
    expect(started.size).toBeGreaterThan(0)
    expect(started.size).toBeLessThanOrEqual(2)
    expect(searchSlots.waiting()).toBe(0)
  })

  it(`refuses a search at once, 429 with Retry-After, while ${SEARCH_QUEUE} wait; the waiting ones all answer`, async () => {
    const answers = Array.from({ length: SEARCH_QUEUE }, (_, i) => search(i))
    await until(`${SEARCH_QUEUE} searches wait`, () => searchSlots.waiting() === SEARCH_QUEUE)
    const refused = await search(0)
    expect(refused.status).toBe(429)
    expect(refused.headers["retry-after"]).toBe("5")
    expect(refused.data).toEqual({
      type: "not_allowed",
      code: "too_many_requests",
      message: `The log is answering ${SEARCH_QUEUE} other searches; try again in 5 s`,
    })
    // A page without a text, near the top, waits for no slot: it answers meanwhile.
    const near = await api.get("/admin/login-as-customer/log?user_id=user_0&limit=5", admin.headers)
    expect(near.data.log_entries[0].id).toBe(newestOf(0))
    held.forEach((release) => release())
    ;(await Promise.all(answers)).forEach((res, i) => {
      expect(res.status).toBe(200)
      expect(res.data.log_entries[0].id).toBe(newestOf(i))
    })
  })
}
