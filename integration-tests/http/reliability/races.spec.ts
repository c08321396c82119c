import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { impersonate, lacService, logRows, setupStore, Store, storeHeaders, ticketOf } from "../../helpers/fixtures"
import { Actor, createAdmin } from "../../helpers/seed"

jest.setTimeout(300_000)

process.env.LOGIN_AS_CUSTOMER_OPTIONS = JSON.stringify({
  // 3 × 49 losing exchanges come from 127.0.0.1 on purpose.
  exchange_rate_limit: { max_attempts: 10_000, window_seconds: 60 },
})

type Outcome = { startedAt: number; finishedAt: number; status: number; method: string }

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const send = (method: string, url: string, headers: Record<string, string>, data?: unknown) =>
      api.request({ method, url, headers, data, validateStatus: () => true })

    /**
     * Keeps `workers` requests in flight (reads and changes of jane's profile)
     * until `stop()`; each outcome records when its request was sent.
     */
    const stream = (store: Store, token: string, workers = 6) => {
      const outcomes: Outcome[] = []
      let running = true
      const headers = storeHeaders(store, token).headers
      const loops = Array.from({ length: workers }, async (_, worker) => {
        for (let i = 0; running; i++) {
          const method = (worker + i) % 2 ? "GET" : "POST"
          const startedAt = Date.now()
          const response =
            method === "GET"
              ? await send("GET", "/store/customers/me", headers)
              : await send("POST", "/store/customers/me", headers, { first_name: `Jane ${worker}-${i}` })
          outcomes.push({ startedAt, finishedAt: Date.now(), status: response.status, method })
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

    it("50 concurrent exchanges of one ticket start exactly one session, three times over; one session_started line each", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      for (let round = 0; round < 3; round++) {
        const { data } = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
        const ticket = ticketOf(data.redirect_url)
        const results = await Promise.all(
          Array.from({ length: 50 }, () =>
            send("POST", "/store/login-as-customer/sessions", { "x-publishable-api-key": store.publishableKey }, { ticket })
          )
        )
        const statuses = results.map((r) => r.status).sort()
        expect(statuses.filter((s) => s === 201)).toHaveLength(1)
        expect(statuses.filter((s) => s === 401)).toHaveLength(49)
        const winner = results.find((r) => r.status === 201)!
        expect(winner.data.session.id).toBe(data.session_id)
        const [session] = await lacService(container).listLoginAsCustomerSessions({ id: data.session_id })
        expect(session.started_at).not.toBeNull()
        expect(await logRows(container, "session_started", { session_id: data.session_id })).toHaveLength(1)
      }
    })

    it("ending a session while requests are in flight: nothing sent after the end succeeds, nothing changes after it", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      for (const via of ["admin", "storefront"] as const) {
        const imp = await impersonate(api as never, store)
        const traffic = stream(store, imp.token)
        await new Promise((resolve) => setTimeout(resolve, 600))
        const endSentAt = Date.now()
        const ending =
          via === "admin"
            ? await send("POST", `/admin/login-as-customer/sessions/${imp.session.id}/end`, store.admin.headers.headers as Record<string, string>, {})
            : await send("DELETE", "/store/login-as-customer/session", imp.headers.headers)
        const endedAt = Date.now()
        expect(ending.status).toBe(200)
        await new Promise((resolve) => setTimeout(resolve, 600))
        await traffic.stop()

        const before = traffic.outcomes.filter((o) => o.finishedAt < endSentAt)
        const after = traffic.outcomes.filter((o) => o.startedAt > endedAt)
        expect(before.length).toBeGreaterThan(3)
        expect(before.every((o) => o.status === 200)).toBe(true)
        expect(after.length).toBeGreaterThan(3)
        expect(after.filter((o) => o.status !== 401)).toEqual([])

        // No change was applied, nor put on record, after the session's end.
        const [session] = await lacService(container).listLoginAsCustomerSessions({ id: imp.session.id })
        expect(session.end_reason).toBe(via === "admin" ? "ended_by_admin" : "logout")
        const actions = await logRows(container, "store_action", { session_id: imp.session.id })
        const allowed = actions.filter((row) => row.details.outcome === "allowed" && row.details.status === 200)
        expect(allowed.length).toBe(traffic.outcomes.filter((o) => o.method === "POST" && o.status === 200).length)
        for (const row of allowed) {
          // A change that passed the guard before the end may finish just after it, never later than that request.
          expect(new Date(row.created_at).getTime()).toBeLessThan(new Date(session.ended_at).getTime() + 2_000)
        }
      }
    })

    it("two admins starting sessions for jane at the same moment both get one; one admin starting ten at once keeps exactly one", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const bob: Actor = await createAdmin(api as never, container, "bob@example.com")
      const start = (admin: Actor) =>
        send("POST", `/admin/customers/${store.jane.id}/login-as-customer`, admin.headers.headers as Record<string, string>, {})

      const [ada, bobs] = await Promise.all([start(store.admin), start(bob)])
      expect([ada.status, bobs.status]).toEqual([201, 201])
      const exchanged = await Promise.all(
        [ada, bobs].map((r) =>
          send("POST", "/store/login-as-customer/sessions", { "x-publishable-api-key": store.publishableKey }, { ticket: ticketOf(r.data.redirect_url) })
        )
      )
      expect(exchanged.map((r) => r.status)).toEqual([201, 201])
      for (const r of exchanged) {
        expect((await send("GET", "/store/customers/me", storeHeaders(store, r.data.token).headers)).data.customer.id).toBe(store.jane.id)
      }

      const many = await Promise.all(Array.from({ length: 10 }, () => start(store.admin)))
      expect(many.map((r) => r.status)).toEqual(Array(10).fill(201))
      const open = (await lacService(container).listLoginAsCustomerSessions({ user_id: store.admin.id, ended_at: null })) as Array<{ id: string }>
      expect(open).toHaveLength(1)
      // Only the surviving ticket still works; the nine others lead nowhere.
      const tries = await Promise.all(
        many.map((r) =>
          send("POST", "/store/login-as-customer/sessions", { "x-publishable-api-key": store.publishableKey }, { ticket: ticketOf(r.data.redirect_url) })
        )
      )
      expect(tries.filter((r) => r.status === 201).map((r) => r.data.session.id)).toEqual([open[0].id])
      // Each superseded session is logged as ended once.
      const ended = await logRows(container, "session_ended", { user_id: store.admin.id })
      const endedIds = ended.map((row) => row.session_id)
      expect(new Set(endedIds).size).toBe(endedIds.length)
      // Bob's session is untouched by Ada's.
      expect((await send("GET", "/store/customers/me", storeHeaders(store, exchanged[1].data.token).headers)).status).toBe(200)
    })

    it("consent withdrawn mid-session: requests sent after the withdrawal are refused and the session ends consent_withdrawn", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const imp = await impersonate(api as never, store)
      const traffic = stream(store, imp.token)
      await new Promise((resolve) => setTimeout(resolve, 500))
      const withdrawal = await send("POST", "/store/customers/me/remote-assistance", store.jane.headers.headers, { allowed: false })
      const withdrawnAt = Date.now()
      expect(withdrawal.status).toBe(200)
      await new Promise((resolve) => setTimeout(resolve, 600))
      await traffic.stop()
      const after = traffic.outcomes.filter((o) => o.startedAt > withdrawnAt)
      expect(after.length).toBeGreaterThan(3)
      expect(after.filter((o) => o.status !== 401)).toEqual([])
      const [session] = await lacService(container).listLoginAsCustomerSessions({ id: imp.session.id })
      expect(session.end_reason).toBe("consent_withdrawn")
      expect(await logRows(container, "session_ended", { session_id: imp.session.id })).toHaveLength(1)
    })
  },
})
