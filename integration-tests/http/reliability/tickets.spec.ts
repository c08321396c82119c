import { createHash, randomBytes } from "crypto"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { lacService, refusal, setupStore, Store, ticketOf } from "../../helpers/fixtures"

jest.setTimeout(120_000)

/**
 * Stolen and guessed tickets. The exchange route's per-address limit is the
 * default one (10 failed attempts a minute); its window lives in the server
 * process, so the tests run in order: successes, another storefront, then
 * the brute force that trips the limit.
 */
medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const exchange = (publishableKey: string, ticket: string) =>
      api.post("/store/login-as-customer/sessions", { ticket }, { headers: { "x-publishable-api-key": publishableKey } })

    const startFor = async (store: Store, body: Record<string, unknown> = {}) => {
      const { data } = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, body, store.admin.headers)
      return ticketOf(data.redirect_url)
    }

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
      // The test before failed 2 exchanges from this address a moment ago: 8 remain.
      for (let i = 0; i < 8; i++) {
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
  },
})
