import type { SuiteContext } from "../../helpers/suite"
import { Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { impersonate, lacService, logRows, setupStore, Store, storeHeaders, ticketOf } from "../../helpers/fixtures"
import { tableChecksums } from "../../helpers/db"
import { Actor, createAdmin } from "../../helpers/seed"

// The losing exchanges all come from 127.0.0.1 on purpose: unlimited-exchanges.spec.ts
// raises the per-address limit.

/** Concurrent exchanges of one ticket, and how many rounds of them. */
const EXCHANGES = 50
const EXCHANGE_ROUNDS = 5
/** Requests kept in flight while a session is ended, and how many times each way of ending is raced. */
const WORKERS = 8
const REPETITIONS = 3

type Outcome = { startedAt: number; finishedAt: number; status: number; code?: string; method: string; name?: string }
type Impersonation = Awaited<ReturnType<typeof impersonate>>

/** Waits until `done()` holds, checking every 20 ms, for at most `timeout` ms. */
async function until(done: () => boolean, timeout = 20_000) {
  const deadline = Date.now() + timeout
  while (!done() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export default function racesSuite({ api, getContainer }: SuiteContext) {
  const send = (method: string, url: string, headers: Record<string, string>, data?: unknown) =>
    api.request({ method, url, headers, data, validateStatus: () => true })
  const exchange = (store: Store, ticket: string) =>
    send("POST", "/store/login-as-customer/sessions", { "x-publishable-api-key": store.publishableKey }, { ticket })

  /**
   * Keeps `WORKERS` requests in flight in the session (reads of jane's
   * profile, and changes of her first name to a name unique to the request)
   * until `stop()`. Each outcome records when its request was sent and
   * when its answer came.
   */
  const stream = (imp: Impersonation, label: string) => {
    const outcomes: Outcome[] = []
    let running = true
    const headers = imp.headers.headers
    const loops = Array.from({ length: WORKERS }, async (_, worker) => {
      for (let i = 0; running; i++) {
        const method = (worker + i) % 2 ? "GET" : "POST"
        const name = method === "POST" ? `${label} ${worker}-${i}` : undefined
        const startedAt = Date.now()
        const response =
          method === "GET"
            ? await send("GET", "/store/customers/me", headers)
            : await send("POST", "/store/customers/me", headers, { first_name: name })
        outcomes.push({ startedAt, finishedAt: Date.now(), status: response.status, code: response.data?.code, method, name })
      }
    })
    return {
      outcomes,
      stop: async () => {
        running = false
        await Promise.all(loops)
      },
    }
  }

  /**
   * Races `end` against in-flight traffic: `end` runs once the stream has had
   * successes, and the stream goes on until enough requests were sent after
   * `end` returned. Returns what happened on each side of the end.
   */
  const raceEnd = async (imp: Impersonation, label: string, end: () => Promise<{ status: number }>) => {
    const traffic = stream(imp, label)
    await until(() => traffic.outcomes.filter((o) => o.status === 200).length >= WORKERS)
    const endSentAt = Date.now()
    const ending = await end()
    const endedAt = Date.now()
    await until(() => traffic.outcomes.filter((o) => o.startedAt > endedAt).length >= 2 * WORKERS)
    await traffic.stop()
    return {
      ending,
      outcomes: traffic.outcomes,
      before: traffic.outcomes.filter((o) => o.finishedAt <= endSentAt),
      after: traffic.outcomes.filter((o) => o.startedAt > endedAt),
      endedAt,
    }
  }

  /**
   * What must hold after any raced end: every request sent after the end
   * returned was refused `401 impersonation_ended`; every change that
   * succeeded was sent before the end returned and is on record as allowed;
   * jane's name is the one a successful change set; the session ended once,
   * for `reason`.
   */
  const expectCleanEnd = async (
    container: MedusaContainer,
    store: Store,
    imp: Impersonation,
    race: Awaited<ReturnType<typeof raceEnd>>,
    reason: string,
    nameBefore: string
  ) => {
    expect(race.ending.status).toBe(200)
    expect(race.before.length).toBeGreaterThanOrEqual(WORKERS)
    expect(race.before.filter((o) => o.status !== 200)).toEqual([])
    expect(race.after.length).toBeGreaterThanOrEqual(2 * WORKERS)
    expect(race.after.filter((o) => o.status !== 401 || o.code !== "impersonation_ended")).toEqual([])
    // Nothing but a success or that refusal, in between either.
    expect(race.outcomes.filter((o) => o.status !== 200 && !(o.status === 401 && o.code === "impersonation_ended"))).toEqual([])

    const changes = race.outcomes.filter((o) => o.method === "POST" && o.status === 200)
    expect(changes.filter((o) => o.startedAt > race.endedAt)).toEqual([])
    const allowed = (await logRows(container, "store_action", { session_id: imp.session.id })).filter(
      (row) => row.details.outcome === "allowed"
    )
    expect(allowed.map((row) => row.details.status)).toEqual(changes.map(() => 200))
    const { first_name } = await container.resolve(Modules.CUSTOMER).retrieveCustomer(store.jane.id)
    expect([nameBefore, ...changes.map((o) => o.name)]).toContain(first_name)

    const session = await lacService(container).retrieveLoginAsCustomerSession(imp.session.id)
    expect(session.end_reason).toBe(reason)
    const ended = await logRows(container, "session_ended", { session_id: imp.session.id })
    expect(ended.map((row) => row.details.end_reason)).toEqual([reason])
    return { before: race.before.length, after: race.after.length, changes: changes.length }
  }

  const janesName = async (container: MedusaContainer, store: Store) =>
    (await container.resolve(Modules.CUSTOMER).retrieveCustomer(store.jane.id)).first_name as string

  it(`${EXCHANGE_ROUNDS} rounds of ${EXCHANGES} concurrent exchanges of one ticket: exactly one session each, the ticket consumed once, one session_started line`, async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    for (let round = 0; round < EXCHANGE_ROUNDS; round++) {
      const { data } = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      const ticket = ticketOf(data.redirect_url)
      const results = await Promise.all(Array.from({ length: EXCHANGES }, () => exchange(store, ticket)))
      const winners = results.filter((r) => r.status === 201)
      expect(winners).toHaveLength(1)
      expect(results.filter((r) => r.status === 401 && r.data.code === "invalid_ticket")).toHaveLength(EXCHANGES - 1)
      expect(winners[0].data.session.id).toBe(data.session_id)
      expect((await send("GET", "/store/customers/me", storeHeaders(store, winners[0].data.token).headers)).data.customer.id).toBe(store.jane.id)

      const service = lacService(container)
      const tickets = await service.listLoginAsCustomerTickets({ session_id: data.session_id })
      expect(tickets.map((t: { consumed_at: unknown }) => t.consumed_at !== null)).toEqual([true])
      const started = await service.listLoginAsCustomerSessions({ customer_id: store.jane.id, ended_at: null })
      expect(started.map((s: { id: string }) => s.id)).toEqual([data.session_id])
      expect(await logRows(container, "session_started", { session_id: data.session_id })).toHaveLength(1)
    }
    expect(await logRows(container, "session_started")).toHaveLength(EXCHANGE_ROUNDS)
  })

  it(`ending a session under ${WORKERS} requests in flight, ${REPETITIONS} times each by the admin and the storefront: nothing sent after the end succeeds or changes anything`, async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const figures: unknown[] = []
    for (let rep = 0; rep < REPETITIONS; rep++) {
      for (const via of ["admin", "storefront"] as const) {
        const imp = await impersonate(api as never, store)
        const nameBefore = await janesName(container, store)
        const race = await raceEnd(imp, `${via} ${rep}`, () =>
          via === "admin"
            ? send("POST", `/admin/login-as-customer/sessions/${imp.session.id}/end`, store.admin.headers.headers as Record<string, string>, {})
            : send("DELETE", "/store/login-as-customer/session", imp.headers.headers)
        )
        figures.push({ via, ...(await expectCleanEnd(container, store, imp, race, via === "admin" ? "ended_by_admin" : "logout", nameBefore)) })
        // The session's later state doesn't change any more: the refusals wrote no row but their log lines.
        const settled = await tableChecksums(container, ["login_as_customer_session", "customer"])
        expect((await send("POST", "/store/customers/me", imp.headers.headers, { first_name: "Late" })).status).toBe(401)
        expect(await tableChecksums(container, ["login_as_customer_session", "customer"])).toEqual(settled)
      }
    }
    expect(figures).toHaveLength(2 * REPETITIONS)
  })

  it(`consent withdrawn mid-session under ${WORKERS} requests in flight, ${REPETITIONS} times each by the customer and an admin: refused from then on, ended consent_withdrawn`, async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    for (let rep = 0; rep < REPETITIONS; rep++) {
      for (const by of ["customer", "admin"] as const) {
        const imp = await impersonate(api as never, store)
        const nameBefore = await janesName(container, store)
        const race = await raceEnd(imp, `consent ${by} ${rep}`, () =>
          by === "customer"
            ? send("POST", "/store/customers/me/remote-assistance", store.jane.headers.headers, { allowed: false })
            : send("POST", `/admin/customers/${store.jane.id}/login-as-customer/remote-assistance`, store.admin.headers.headers as Record<string, string>, { allowed: false })
        )
        await expectCleanEnd(container, store, imp, race, "consent_withdrawn", nameBefore)
        expect((await lacService(container).getRemoteAssistance(store.jane.id)).allowed).toBe(false)
        await api.post("/store/customers/me/remote-assistance", { allowed: true }, store.jane.headers)
      }
    }
  })

  it(`the admin deleted or stripped of the permission under ${WORKERS} requests in flight: refused from then on, ended admin_revoked`, async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container, { access: "selected_admins" })
    const keeper = await createAdmin(api as never, container, "keeper@example.com")
    await api.post(`/admin/login-as-customer/grants/${keeper.id}`, { can_login: true }, store.admin.headers)
    for (let rep = 0; rep < REPETITIONS; rep++) {
      for (const how of ["grant_removed", "deleted"] as const) {
        const admin: Actor = await createAdmin(api as never, container, `helper-${how}-${rep}@example.com`)
        await api.post(`/admin/login-as-customer/grants/${admin.id}`, { can_login: true }, keeper.headers)
        const imp = await impersonate(api as never, { ...store, admin }, store.jane)
        const nameBefore = await janesName(container, store)
        const race = await raceEnd(imp, `${how} ${rep}`, () =>
          how === "deleted"
            ? send("DELETE", `/admin/users/${admin.id}`, keeper.headers.headers as Record<string, string>)
            : send("POST", `/admin/login-as-customer/grants/${admin.id}`, keeper.headers.headers as Record<string, string>, { can_login: false })
        )
        await expectCleanEnd(container, store, imp, race, "admin_revoked", nameBefore)
      }
    }
    // The keeper's own rights were untouched all along.
    expect((await send("POST", `/admin/customers/${store.jane.id}/login-as-customer`, keeper.headers.headers as Record<string, string>, {})).status).toBe(201)
  })

  it(`one session ended three ways at once, ${REPETITIONS * 2} times: it ends once, with one reason, logged once`, async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    for (let rep = 0; rep < REPETITIONS * 2; rep++) {
      const imp = await impersonate(api as never, store)
      const admin = store.admin.headers.headers as Record<string, string>
      const answers = await Promise.all([
        send("POST", `/admin/login-as-customer/sessions/${imp.session.id}/end`, admin, {}),
        send("DELETE", "/store/login-as-customer/session", imp.headers.headers),
        send("POST", `/admin/login-as-customer/sessions/${imp.session.id}/end`, admin, {}),
      ])
      // The storefront's DELETE either ends it or finds it already ended; of the admin's two ends, at most
      // the one that ended it answers 200, the other 409 session_already_ended; both answer the session.
      expect([200, 401]).toContain(answers[1].status)
      const session = await lacService(container).retrieveLoginAsCustomerSession(imp.session.id)
      expect(["ended_by_admin", "logout"]).toContain(session.end_reason)
      const adminEnds = [answers[0], answers[2]]
      expect(adminEnds.filter((a) => a.status === 200)).toHaveLength(session.end_reason === "ended_by_admin" ? 1 : 0)
      for (const answer of adminEnds) {
        expect([200, 409]).toContain(answer.status)
        if (answer.status === 409) expect(answer.data).toMatchObject({ code: "session_already_ended", end_reason: session.end_reason })
        expect(answer.data.session.end_reason).toBe(session.end_reason)
      }
      const ended = await logRows(container, "session_ended", { session_id: imp.session.id })
      expect(ended.map((row) => row.details.end_reason)).toEqual([session.end_reason])
    }
  })

  it(`consent withdrawn at the very moment of the exchange, ${REPETITIONS * 2} times: never a session that outlives the withdrawal`, async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const outcomes: string[] = []
    for (let rep = 0; rep < REPETITIONS * 2; rep++) {
      const { data } = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      const [exchanged, withdrawn] = await Promise.all([
        exchange(store, ticketOf(data.redirect_url)),
        send("POST", "/store/customers/me/remote-assistance", store.jane.headers.headers, { allowed: false }),
      ])
      expect(withdrawn.status).toBe(200)
      outcomes.push(exchanged.status === 201 ? "exchanged, then ended" : `refused ${exchanged.data.code}`)
      if (exchanged.status === 201) {
        const refused = await send("GET", "/store/customers/me", storeHeaders(store, exchanged.data.token).headers)
        expect({ status: refused.status, code: refused.data.code }).toEqual({ status: 401, code: "impersonation_ended" })
      } else {
        expect(exchanged.status).toBeGreaterThanOrEqual(400)
        expect(exchanged.status).toBeLessThan(500)
      }
      const open = await lacService(container).listLoginAsCustomerSessions({ customer_id: store.jane.id, ended_at: null })
      expect(open.filter((s: { started_at: unknown }) => s.started_at !== null)).toEqual([])
      const [session] = await lacService(container).listLoginAsCustomerSessions({ id: data.session_id })
      expect(session.ended_at).not.toBeNull()
      expect(await logRows(container, "session_ended", { session_id: data.session_id })).toHaveLength(1)
      await api.post("/store/customers/me/remote-assistance", { allowed: true }, store.jane.headers)
    }
    expect(outcomes).toHaveLength(REPETITIONS * 2)
  })

  it(`two admins starting sessions for jane at the same moment, ${REPETITIONS} times: each keeps exactly one, both work; ten concurrent starts by one admin keep one`, async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const bob: Actor = await createAdmin(api as never, container, "bob@example.com")
    const start = (admin: Actor) =>
      send("POST", `/admin/customers/${store.jane.id}/login-as-customer`, admin.headers.headers as Record<string, string>, {})
    const service = lacService(container)

    let previous: string[] = []
    for (let rep = 0; rep < REPETITIONS; rep++) {
      const [ada, bobs] = await Promise.all([start(store.admin), start(bob)])
      expect([ada.status, bobs.status]).toEqual([201, 201])
      const exchanged = await Promise.all([ada, bobs].map((r) => exchange(store, ticketOf(r.data.redirect_url))))
      expect(exchanged.map((r) => r.status)).toEqual([201, 201])
      for (const r of exchanged) {
        expect((await send("GET", "/store/customers/me", storeHeaders(store, r.data.token).headers)).data.customer.id).toBe(store.jane.id)
      }
      const open = await service.listLoginAsCustomerSessions({ customer_id: store.jane.id, ended_at: null })
      expect(open.map((s: { id: string }) => s.id).sort()).toEqual([ada.data.session_id, bobs.data.session_id].sort())
      // The round before was superseded, each session once.
      for (const id of previous) {
        expect((await service.retrieveLoginAsCustomerSession(id)).end_reason).toBe("superseded")
        expect(await logRows(container, "session_ended", { session_id: id })).toHaveLength(1)
      }
      previous = [ada.data.session_id, bobs.data.session_id]
    }

    const many = await Promise.all(Array.from({ length: 10 }, () => start(store.admin)))
    expect(many.map((r) => r.status)).toEqual(Array(10).fill(201))
    const open = (await service.listLoginAsCustomerSessions({ user_id: store.admin.id, ended_at: null })) as Array<{ id: string }>
    expect(open).toHaveLength(1)
    // Only the surviving ticket still works; the nine others lead nowhere.
    const tries = await Promise.all(many.map((r) => exchange(store, ticketOf(r.data.redirect_url))))
    expect(tries.filter((r) => r.status === 201).map((r) => r.data.session.id)).toEqual([open[0].id])
    // Each superseded session is logged as ended once.
    const endedIds = (await logRows(container, "session_ended", { user_id: store.admin.id })).map((row) => row.session_id)
    expect(new Set(endedIds).size).toBe(endedIds.length)
    // Bob's session is untouched by Ada's.
    expect((await service.listLoginAsCustomerSessions({ user_id: bob.id, ended_at: null }))).toHaveLength(1)
  })
}
