import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { createAdmin, eventually } from "../../helpers/seed"
import { exportCopies, insertStoreActions } from "../../helpers/db"
import { pipelined, unchunk } from "../../helpers/raw-http"
import { forgetSearchSample } from "../../../src/modules/login-as-customer/utils/log-search"
import { SEARCH_QUEUE, searchSlots } from "../../../src/modules/login-as-customer/services/log-queries"

/**
 * The queue of searches past the newest lines (SEARCH_SLOTS at once): a
 * search whose admin gave up leaves it, and one more than SEARCH_QUEUE
 * waiting is refused at once. The test holds both slots itself (the app
 * runs in this process), so what waits is known, not raced. And exports
 * whose client is gone, pipelined on one connection, let their slots go.
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
  const port = () => Number(new URL(api.defaults.baseURL as string).port)
  /** Whether `count` searches wait, within `timeout`. */
  const waiting = (count: number, timeout = 60_000) => eventually(async () => searchSlots.waiting() === count, { timeout, interval: 20 })

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
    expect(await waiting(6)).toBe(true)
    controllers.slice(0, 4).forEach((controller) => controller.abort())
    // The server sees each connection close and takes its search out of the queue.
    expect(await waiting(2)).toBe(true)
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
    expect(await waiting(SEARCH_QUEUE)).toBe(true)
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

  it("drops searches pipelined on one connection when it closes, the ones queued behind the first too", async () => {
    const socket = pipelined(
      port(),
      [0, 1, 2, 3].map((i) => `/admin/login-as-customer/log?q=store_action&user_id=user_${i % 3}&limit=5`),
      { authorization: admin.headers.headers.authorization }
    )
    expect(await waiting(4)).toBe(true)
    socket.destroy()
    // Only the first answer is the connection's yet; the three behind it are gone with it too.
    expect(await waiting(0, 10_000)).toBe(true)
  })

  it("runs exports pipelined on one connection one at a time, in their turn, and gives them all up when it closes", async () => {
    const copies = () => exportCopies(getContainer())
    // Three exports of 150 000 lines (about 20 MB each) on one connection,
    // never read: the first fills the socket; the two behind it wait for
    // their turn to be sent without a slot or a COPY of their own.
    await insertStoreActions(getContainer(), "lacl_qx_", 120000, "2025-03-01T00:00:00Z")
    const socket = pipelined(port(), Array(3).fill("/admin/login-as-customer/log/export"), { authorization: admin.headers.headers.authorization })
    expect(await eventually(async () => (await copies()) === 1, { timeout: 30_000 })).toBe(true)
    let most = 1
    const watchUntil = Date.now() + 3_000
    while (Date.now() < watchUntil) most = Math.max(most, await copies())
    expect(most).toBe(1)
    socket.destroy()
    expect(await eventually(async () => (await copies()) === 0, { timeout: 20_000 })).toBe(true)
    const whole = await api.get("/admin/login-as-customer/log/export?user_id=user_1", {
      ...admin.headers,
      responseType: "text",
      transformResponse: (x: unknown) => x,
      timeout: 30_000,
    })
    expect((whole.data as string).trim().split("\r\n")).toHaveLength(1 + 50_000)
    // Read, two pipelined exports each come whole, in turn.
    const read = pipelined(port(), Array(2).fill("/admin/login-as-customer/log/export?user_id=user_2"), {
      authorization: admin.headers.headers.authorization,
    })
    const END = "\r\n0\r\n\r\n" // a chunked body's end (no CSV line is "0" followed by an empty one)
    const raw = await new Promise<string>((resolve) => {
      let text = ""
      let ends = 0
      read.on("data", (chunk: Buffer) => {
        const from = Math.max(0, text.length - END.length + 1)
        text += chunk.toString("latin1")
        for (let at = text.indexOf(END, from); at >= 0; at = text.indexOf(END, at + 1)) ends++
        if (ends === 2) resolve(text)
      })
    })
    read.destroy()
    const answers = raw.split(END).slice(0, 2)
    answers.forEach((answer) => expect(answer).toMatch(/^HTTP\/1\.1 200 /))
    const bodies = answers.map((answer) => unchunk(Buffer.from(answer.slice(answer.indexOf("\r\n\r\n") + 4), "latin1")).toString("latin1"))
    const lines = bodies.map((body) => body.trim().split("\r\n"))
    expect(lines.map((each) => each.length)).toEqual([1 + 50_000, 1 + 50_000])
    lines.forEach((each) => expect(each.slice(1).every((line) => line.includes(",store_action,user_2,"))).toBe(true))
  })
}
