import { createHash, randomBytes } from "crypto"
import type { SuiteContext } from "../../helpers/suite"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { lacService, refusal, setupStore, Store, ticketOf } from "../../helpers/fixtures"

/**
 * Stolen and guessed tickets, with the default options: 10 failed exchanges a
 * minute per address, the address being Express's `req.ip` (Medusa sets
 * `trust proxy` to 1, so it is the last `X-Forwarded-For` hop). The counts
 * live in the database, which is restored before every test: each test
 * starts with none. Servers that face clients directly: tickets-direct.spec.ts.
 */
export default function ticketsSuite({ api, getContainer }: SuiteContext) {
  const exchange = (publishableKey: string, ticket: string) =>
    api.post("/store/login-as-customer/sessions", { ticket }, { headers: { "x-publishable-api-key": publishableKey } })

  const startFor = async (store: Store, body: Record<string, unknown> = {}) => {
    const { data } = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, body, store.admin.headers)
    return ticketOf(data.redirect_url)
  }

  const guess = (publishableKey: string, headers: Record<string, string> = {}) =>
    api
      .post(
        "/store/login-as-customer/sessions",
        { ticket: randomBytes(32).toString("base64url") },
        { headers: { "x-publishable-api-key": publishableKey, ...headers }, validateStatus: () => true }
      )
      .then((response) => ({ status: response.status, code: response.data?.code }))

  const knex = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)

  const ticketRow = async (ticket: string) => {
    const hash = createHash("sha256").update(ticket, "utf8").digest("hex")
    const [row] = await lacService(getContainer()).listLoginAsCustomerTickets({ token_hash: hash })
    return row
  }

  it("does not count successful exchanges against the limit: 15 in a row all succeed", async () => {
    const store = await setupStore(api as never, getContainer())
    for (let i = 0; i < 15; i++) {
      const response = await exchange(store.publishableKey, await startFor(store))
      expect(response.status).toBe(201)
    }
  })

  it("burns a ticket presented by another storefront (a publishable key of another sales channel): 403 wrong_storefront", async () => {
    const store = await setupStore(api as never, getContainer())
    const channel = async (name: string) =>
      (await api.post("/admin/sales-channels", { name }, store.admin.headers)).data.sales_channel.id as string
    const key = async (title: string, salesChannelId: string) => {
      const { data } = await api.post("/admin/api-keys", { title, type: "publishable" }, store.admin.headers)
      await api.post(`/admin/api-keys/${data.api_key.id}/sales-channels`, { add: [salesChannelId] }, store.admin.headers)
      return data.api_key.token as string
    }
    const eu = await channel("EU shop")
    const us = await channel("US shop")
    const euKey = await key("EU storefront", eu)
    const usKey = await key("US storefront", us)
    await api.post(
      "/admin/login-as-customer/settings",
      {
        store_selection: "manual",
        storefronts: [
          { id: "eu", name: "EU shop", sales_channel_id: eu, login_url: "https://shop.example.com/eu/assist" },
          { id: "us", name: "US shop", sales_channel_id: us, login_url: "https://b2b.example.com/us/assist" },
        ],
      },
      store.admin.headers
    )

    const ticket = await startFor(store, { storefront_id: "eu" })
    const wrong = await refusal(exchange(usKey, ticket))
    expect({ status: wrong.status, code: wrong.data.code }).toEqual({ status: 403, code: "wrong_storefront" })
    expect((await ticketRow(ticket)).consumed_at).not.toBeNull()
    // Burnt: not even the right storefront can use it now.
    const late = await refusal(exchange(euKey, ticket))
    expect({ status: late.status, code: late.data.code }).toEqual({ status: 401, code: "invalid_ticket" })

    // A fresh ticket works where it was sent.
    const fresh = await exchange(euKey, await startFor(store, { storefront_id: "eu" }))
    expect(fresh.status).toBe(201)
    const [session] = await lacService(getContainer()).listLoginAsCustomerSessions({ id: fresh.data.session.id })
    expect(session.storefront_id).toBe("eu")
  })

  it("limits guessing: after 10 failed attempts from one address the next gets 429 too_many_requests with Retry-After, even with a good ticket, which stays unused", async () => {
    const store = await setupStore(api as never, getContainer())
    const good = await startFor(store)
    for (let i = 0; i < 10; i++) {
      const guess = await refusal(exchange(store.publishableKey, randomBytes(32).toString("base64url")))
      expect({ status: guess.status, code: guess.data.code }).toEqual({ status: 401, code: "invalid_ticket" })
    }
    const limited = await refusal(exchange(store.publishableKey, good))
    expect({ status: limited.status, type: limited.data.type, code: limited.data.code }).toEqual({
      status: 429,
      type: "not_allowed",
      code: "too_many_requests",
    })
    expect(limited.data.message).toMatch(/try again in \d+ s/)
    const retryAfter = Number(limited.headers["retry-after"])
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    // The limited request never reached the ticket.
    expect((await ticketRow(good)).consumed_at).toBeNull()
    // Other store routes are not limited.
    expect((await api.get("/store/customers/me", store.jane.headers)).status).toBe(200)
  })

  it("takes the address from the last X-Forwarded-For hop (Medusa's trust proxy 1): a client that reaches the server directly picks its own", async () => {
    const store = await setupStore(api as never, getContainer())
    const from = (forwardedFor?: string) => guess(store.publishableKey, forwardedFor ? { "x-forwarded-for": forwardedFor } : {})
    for (let i = 0; i < 10; i++) {
      expect(await from("203.0.113.7")).toEqual({ status: 401, code: "invalid_ticket" })
    }
    const limited = { status: 429, code: "too_many_requests" }
    const notLimited = { status: 401, code: "invalid_ticket" }
    expect({
      same: await from("203.0.113.7"),
      // Only the hop the nearest proxy added counts; what the client wrote before it doesn't.
      earlierHopsDiffer: await from("198.51.100.1, 203.0.113.7"),
      lastHopDiffers: await from("203.0.113.7, 198.51.100.9"),
      // Without the header: the socket's address (127.0.0.1 here).
      noHeader: await from(),
    }).toEqual({ same: limited, earlierHopsDiffer: limited, lastHopDiffers: notLimited, noHeader: notLimited })
    // So without a proxy in front, a client dodges the limit by changing the header,
    // or spends the budget of an address it names: client_address "socket" is for that case.
    expect(await from("198.51.100.77")).toEqual(notLimited)
  })

  it("keeps the counts in the login_as_customer_rate_limit table, where every instance reads and writes them", async () => {
    const store = await setupStore(api as never, getContainer())
    const from = (address: string) => guess(store.publishableKey, { "x-forwarded-for": address })
    for (let i = 0; i < 10; i++) {
      expect(await from("203.0.113.8")).toEqual({ status: 401, code: "invalid_ticket" })
    }
    expect(await from("203.0.113.8")).toEqual({ status: 429, code: "too_many_requests" })
    const { rows } = await knex().raw(
      `select key, points, expire from login_as_customer_rate_limit where key like '%203.0.113.8'`
    )
    expect(rows).toEqual([
      expect.objectContaining({ points: 11, expire: expect.anything() }),
    ])
    expect(Number(rows[0].expire)).toBeGreaterThan(Date.now())

    // Another instance's counts, written to the table, hold here...
    await knex().raw(
      `insert into login_as_customer_rate_limit (key, points, expire)
         select replace(key, '203.0.113.8', '203.0.113.9'), points, expire from login_as_customer_rate_limit where key like '%203.0.113.8'`
    )
    expect(await from("203.0.113.9")).toEqual({ status: 429, code: "too_many_requests" })
    // ...and nothing is counted anywhere else: with the rows gone, the address is free again.
    await knex().raw(`delete from login_as_customer_rate_limit`)
    expect(await from("203.0.113.8")).toEqual({ status: 401, code: "invalid_ticket" })
  })
}
