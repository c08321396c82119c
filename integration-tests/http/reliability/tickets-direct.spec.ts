import http from "http"
import { randomBytes } from "crypto"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { lacService, logRows, setupStore, Store, ticketOf } from "../../helpers/fixtures"

jest.setTimeout(120_000)

// A server that faces its clients directly: the address is the socket's, and
// X-Forwarded-For is nobody's word. Small limits, so the tests stay short.
process.env.LOGIN_AS_CUSTOMER_OPTIONS = JSON.stringify({
  client_address: "socket",
  exchange_rate_limit: { max_attempts: 3, window_seconds: 60, store_max_failures: 8 },
})

/**
 * The exchange limits with `client_address: "socket"`. Requests leave from
 * several loopback addresses (127.0.0.x), as different clients would.
 */
medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const agents = new Map<string, http.Agent>()
    const agent = (localAddress: string) => {
      if (!agents.has(localAddress)) agents.set(localAddress, new http.Agent({ localAddress }))
      return agents.get(localAddress)!
    }
    afterAll(() => agents.forEach((a) => a.destroy()))

    /** An exchange sent from a loopback address, with any headers. */
    const exchangeFrom = async (
      store: Store,
      localAddress: string,
      ticket: string = randomBytes(32).toString("base64url"),
      headers: Record<string, string> = {}
    ) => {
      const response = await api.post(
        "/store/login-as-customer/sessions",
        { ticket },
        {
          // By IP, so the connection can leave from the chosen address.
          baseURL: (api.defaults.baseURL as string).replace("localhost", "127.0.0.1"),
          httpAgent: agent(localAddress),
          headers: { "x-publishable-api-key": store.publishableKey, ...headers },
          validateStatus: () => true,
        }
      )
      return { status: response.status, code: response.data?.code as string, message: response.data?.message as string, headers: response.headers }
    }

    const startFor = async (store: Store) => {
      const { data } = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      return ticketOf(data.redirect_url)
    }

    const consumed = async (ticket: string) => {
      const { createHash } = await import("crypto")
      const [row] = await lacService(getContainer()).listLoginAsCustomerTickets({
        token_hash: createHash("sha256").update(ticket, "utf8").digest("hex"),
      })
      return row.consumed_at !== null
    }

    const invalid = { status: 401, code: "invalid_ticket" }
    const limited = { status: 429, code: "too_many_requests" }
    const outcome = (r: { status: number; code: string }) => ({ status: r.status, code: r.code })

    it("ignores X-Forwarded-For: a client that changes it on every guess is still limited after 3 failures", async () => {
      const store = await setupStore(api as never, getContainer())
      for (let i = 1; i <= 3; i++) {
        expect(outcome(await exchangeFrom(store, "127.0.0.1", undefined, { "x-forwarded-for": `198.51.100.${i}` }))).toEqual(invalid)
      }
      const good = await startFor(store)
      const fourth = await exchangeFrom(store, "127.0.0.1", good, { "x-forwarded-for": "198.51.100.4" })
      expect(outcome(fourth)).toEqual(limited)
      expect(Number(fourth.headers["retry-after"])).toBeGreaterThanOrEqual(1)
      expect(await consumed(good)).toBe(false)
    })

    it("can't be made to lock another client out: guesses that name the victim's address count against the guesser", async () => {
      const store = await setupStore(api as never, getContainer())
      // The victim's address written as the server sees it (IPv4-mapped, on a dual-stack socket).
      const naming = { "x-forwarded-for": "::ffff:127.0.0.2" }
      for (let i = 0; i < 3; i++) {
        expect(outcome(await exchangeFrom(store, "127.0.0.1", undefined, naming))).toEqual(invalid)
      }
      expect(outcome(await exchangeFrom(store, "127.0.0.1", undefined, naming))).toEqual(limited)
      // The victim, whose connection comes from 127.0.0.2, is not limited.
      const victim = await exchangeFrom(store, "127.0.0.2", await startFor(store))
      expect(victim.status).toBe(201)
    })

    it("stops every exchange once the store-wide ceiling of failures is reached, and writes one exchange_limit_tripped line", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      // 8 failures from 4 addresses, 2 each: no address reaches its own limit of 3.
      for (const address of ["127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14"]) {
        for (let i = 0; i < 2; i++) {
          expect(outcome(await exchangeFrom(store, address))).toEqual(invalid)
        }
      }
      expect(await logRows(container, "exchange_limit_tripped")).toEqual([])

      // The 9th, from an address never seen, with a good ticket: refused, the ticket untouched.
      const good = await startFor(store)
      const refused = await exchangeFrom(store, "127.0.0.15", good)
      expect(outcome(refused)).toEqual(limited)
      expect(refused.message).toMatch(/store/i)
      expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1)
      expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(60)
      expect(await consumed(good)).toBe(false)
      // More attempts, concurrent ones too, are refused and write nothing more.
      const more = await Promise.all(
        ["127.0.0.16", "127.0.0.17", "127.0.0.18", "127.0.0.15", "127.0.0.16"].map((address) => exchangeFrom(store, address))
      )
      expect(more.map(outcome)).toEqual(more.map(() => limited))

      const lines = await logRows(container, "exchange_limit_tripped")
      expect(lines).toEqual([
        expect.objectContaining({
          action: "exchange_limit_tripped",
          actor_type: "system",
          details: expect.objectContaining({ max_failures: 8, window_seconds: 60 }),
        }),
      ])
      // Shown in the admin's log like any other line.
      const { data } = await api.get("/admin/login-as-customer/log?action=exchange_limit_tripped", store.admin.headers)
      expect(data.log_entries).toHaveLength(1)
    })
  },
})
