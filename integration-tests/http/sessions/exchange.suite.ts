import jwt from "jsonwebtoken"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { FetchError } from "@medusajs/js-sdk"
import type { SuiteContext } from "../../helpers/suite"
import {
  endConsentNow,
  jwtPayload,
  lacService,
  logQuiet,
  logRows,
  refusal,
  saveSettings,
  settledLogRows,
  setupStore,
  Store,
  storeHeaders,
  ticketOf,
} from "../../helpers/fixtures"
import { eventually, snapshotPluginTables } from "../../helpers/seed"

const INVALID_TICKET_MESSAGE = "This login link is invalid, was already used or has expired"

// Fails exchanges on purpose, many at once, all from 127.0.0.1: sessions.spec.ts
// raises the per-address limit (tested in reliability/tickets.suite.ts).

export default function exchangeSuite({ api, getContainer }: SuiteContext) {
  const start = async (store: Store, customerId = store.jane.id, body: Record<string, unknown> = {}) => {
    const { data } = await api.post(`/admin/customers/${customerId}/login-as-customer`, body, store.admin.headers)
    return { ...data, ticket: ticketOf(data.redirect_url) } as {
      redirect_url: string
      expires_at: string
      session_id: string
      ticket: string
    }
  }

  /** The exchange as the storefront makes it: the js-sdk, anonymous, publishable key. */
  const exchange = (store: Store, ticket: string) =>
    store.storefront().client.fetch<any>("/store/login-as-customer/sessions", {
      method: "POST",
      body: { ticket },
    })

  /** The same over plain HTTP, to read the error's code. */
  const exchangeRaw = (store: Store, body: unknown) =>
    api.post("/store/login-as-customer/sessions", body, {
      headers: { "x-publishable-api-key": store.publishableKey },
    })

  const expectInvalidTicket = async (store: Store, ticket: string) => {
    const response = await refusal(exchangeRaw(store, { ticket }))
    expect({ status: response.status, code: response.data.code }).toEqual({ status: 401, code: "invalid_ticket" })
  }

  it("exchanges a ticket for a real, verifiable customer JWT marked with the acting admin", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const started = await start(store)
    const before = Date.now()
    const { http } = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE).projectConfig

    const sdk = store.storefront()
    const response = await sdk.client.fetch<Response>("/store/login-as-customer/sessions", {
      method: "POST",
      body: { ticket: started.ticket },
      headers: { accept: "text/plain" },
    })
    expect(response.status).toBe(201)
    const body = await response.json()

    expect(Object.keys(body).sort()).toEqual(["session", "token"])
    expect(body.session).toMatchObject({
      id: started.session_id,
      customer: { id: store.jane.id, email: "jane@example.com", first_name: "Jane", last_name: "Doe" },
      admin: { first_name: "Ada", last_name: "Admin" },
    })
    // Only names of the admin reach the storefront.
    expect(Object.keys(body.session.admin).sort()).toEqual(["first_name", "last_name"])
    const sessionExpiry = new Date(body.session.expires_at).getTime()
    // session_ttl_seconds defaults to 3600, counted from the exchange.
    expect(sessionExpiry).toBeGreaterThanOrEqual(before + 3600_000 - 2000)
    expect(sessionExpiry).toBeLessThanOrEqual(Date.now() + 3600_000 + 2000)

    const payload = jwtPayload(body.token)
    expect(payload).toMatchObject({
      actor_type: "customer",
      actor_id: store.jane.id,
      act: { sub: store.admin.id },
      app_metadata: {
        customer_id: store.jane.id,
        login_as_customer: { session_id: started.session_id, user_id: store.admin.id },
      },
    })
    expect(Math.abs(payload.exp * 1000 - sessionExpiry)).toBeLessThanOrEqual(2000)

    // Signed with the project's JWT secret, and with nothing else.
    const verified = jwt.verify(body.token, http.jwtSecret as string) as Record<string, any>
    expect(verified.act.sub).toBe(store.admin.id)
    expect(() => jwt.verify(body.token, "another-secret")).toThrow(/invalid signature/)

    // The session row has started and runs until the token's expiry.
    const session = await lacService(container).retrieveLoginAsCustomerSession(started.session_id)
    expect(session.started_at).not.toBeNull()
    expect(session.ended_at).toBeNull()
    expect(new Date(session.expires_at).getTime()).toBe(sessionExpiry)
    const [ticketRow] = await lacService(container).listLoginAsCustomerTickets({ session_id: started.session_id })
    expect(ticketRow.consumed_at).not.toBeNull()

    const [logged] = await settledLogRows(container, "session_started")
    expect(logged).toMatchObject({ session_id: started.session_id, user_id: store.admin.id, customer_id: store.jane.id })
  })

  it("gives the token the session's expiry as exp, to the second", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const started = await start(store)
    const exchanged = await exchange(store, started.ticket)
    const session = await lacService(container).retrieveLoginAsCustomerSession(started.session_id)
    const expiresAt = new Date(session.expires_at).getTime()
    expect(new Date(exchanged.session.expires_at).getTime()).toBe(expiresAt)
    // JWT exp counts whole seconds: the session's expiry, rounded down (never later).
    expect(jwtPayload(exchanged.token).exp).toBe(Math.floor(expiresAt / 1000))
  })

  it("refuses a replayed, unknown or malformed ticket with 401 invalid_ticket", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const started = await start(store)

    const first = await exchange(store, started.ticket)
    expect(first.session.id).toBe(started.session_id)

    // Replay, through the sdk and over plain HTTP.
    const replay = (await exchange(store, started.ticket).catch((e) => e)) as FetchError
    expect(replay.status).toBe(401)
    expect(replay.message).toBe(INVALID_TICKET_MESSAGE)
    await expectInvalidTicket(store, started.ticket)

    // A ticket nobody issued, one character off, and nonsense.
    const other = started.ticket.slice(0, -1) + (started.ticket.endsWith("A") ? "B" : "A")
    await expectInvalidTicket(store, other)
    await expectInvalidTicket(store, Buffer.alloc(32, 7).toString("base64url"))
    await expectInvalidTicket(store, "not a ticket")

    // The first token is unaffected by the failed replays, and only one session started.
    expect((await api.get("/store/customers/me", storeHeaders(store, first.token))).status).toBe(200)
    expect(await settledLogRows(container, "session_started")).toHaveLength(1)
  })

  it("refuses an expired ticket (ticket_ttl_seconds: 1) and never starts its session", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container, { ticket_ttl_seconds: 1 })
    const started = await start(store)
    expect(new Date(started.expires_at).getTime()).toBeLessThanOrEqual(Date.now() + 1000)
    await new Promise((resolve) => setTimeout(resolve, 1500))

    await expectInvalidTicket(store, started.ticket)
    const session = await lacService(container).retrieveLoginAsCustomerSession(started.session_id)
    expect(session.started_at).toBeNull()
    expect(await logRows(container, "session_started")).toHaveLength(0)

    // A ticket used within its lifetime works under the same settings.
    const fresh = await start(store)
    expect((await exchange(store, fresh.ticket)).session.id).toBe(fresh.session_id)
  })

  it("lets exactly one of 50 concurrent exchanges of a ticket succeed", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const started = await start(store)

    const results = await Promise.allSettled(Array.from({ length: 50 }, () => exchange(store, started.ticket)))
    const won = results.filter((r): r is PromiseFulfilledResult<any> => r.status === "fulfilled")
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected")
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(49)
    expect(lost.map((r) => (r.reason as FetchError).status)).toEqual(Array(49).fill(401))
    expect(new Set(lost.map((r) => (r.reason as FetchError).message))).toEqual(new Set([INVALID_TICKET_MESSAGE]))

    const winner = won[0].value
    expect(winner.session.id).toBe(started.session_id)
    expect((await api.get("/store/customers/me", storeHeaders(store, winner.token))).data.customer.id).toBe(
      store.jane.id
    )

    const sessions = await lacService(container).listLoginAsCustomerSessions({})
    expect(sessions).toHaveLength(1)
    expect(sessions[0]).toMatchObject({ id: started.session_id, ended_at: null })
    expect(sessions[0].started_at).not.toBeNull()
    expect(await settledLogRows(container, "session_started")).toHaveLength(1)
  })

  it("validates the body strictly (400 invalid_data, ticket left unused)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const started = await start(store)
    expect(await settledLogRows(container, "ticket_issued")).toHaveLength(1)
    await logQuiet(container)
    const before = await snapshotPluginTables(container)

    for (const body of [
      { ticket: started.ticket, customer_id: store.john.id },
      { ticket: started.ticket, session_ttl_seconds: 86400 },
      {},
      { ticket: "" },
      { ticket: 42 },
      { ticket: "x".repeat(201) },
    ]) {
      const response = await refusal(exchangeRaw(store, body))
      expect({ body, status: response.status, code: response.data.code }).toEqual({
        body,
        status: 400,
        code: "invalid_data",
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await snapshotPluginTables(container)).toBe(before)

    // The ticket is still good.
    const exchanged = await exchange(store, started.ticket)
    expect(exchanged.session.customer.id).toBe(store.jane.id)
    expect(jwtPayload(exchanged.token).actor_id).toBe(store.jane.id)
  })

  it("works with stock store routes: /store/customers/me and a cart on jane's real account", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const region = await container.resolve(Modules.REGION).createRegions({ name: "Europe", currency_code: "eur" })
    const started = await start(store)

    const sdk = store.storefront()
    const exchanged = await sdk.client.fetch<any>("/store/login-as-customer/sessions", {
      method: "POST",
      body: { ticket: started.ticket },
    })
    await sdk.client.setToken(exchanged.token)

    const { customer } = await sdk.store.customer.retrieve()
    expect(customer).toMatchObject({ id: store.jane.id, email: "jane@example.com", first_name: "Jane" })

    const { cart } = await sdk.store.cart.create({ region_id: region.id })
    expect(cart.customer_id).toBe(store.jane.id)
    expect(cart.email).toBe("jane@example.com")
    expect(cart.currency_code).toBe("eur")
    const { cart: updated } = await sdk.store.cart.update(cart.id, { metadata: { gift_wrap: "yes" } })
    expect(updated.metadata).toMatchObject({ gift_wrap: "yes" })

    // The cart is jane's (her own login sees it as hers) and recorded as changed in the session.
    const [stored] = await container.resolve(Modules.CART).listCarts({ id: cart.id }, { select: ["id", "customer_id", "metadata"] })
    expect(stored.customer_id).toBe(store.jane.id)
    expect(stored.metadata).toEqual({ gift_wrap: "yes" })
    const records = await lacService(container).listLoginAsCustomerSessionCarts({ cart_id: cart.id })
    expect(records).toEqual([
      expect.objectContaining({ session_id: started.session_id, customer_id: store.jane.id, user_id: store.admin.id }),
    ])
    const own = await api.get(`/store/carts/${cart.id}`, store.jane.headers)
    expect(own.data.cart.customer_id).toBe(store.jane.id)

    // Both changes are on the record, with the cart's id.
    const actions = await settledLogRows(container, "store_action", { session_id: started.session_id }, { count: 2 })
    expect(actions.map((row) => [row.details.method, row.details.status])).toEqual([
      ["POST", 200],
      ["POST", 200],
    ])
    for (const row of actions) {
      expect(row.details.resource_ids).toContain(cart.id)
    }
  })

  it("refuses the exchange when jane withdrew consent after the admin started (403 assistance_not_allowed, session ended consent_withdrawn)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const started = await start(store)

    await api.post("/store/customers/me/remote-assistance", { allowed: false }, store.jane.headers)

    const response = await refusal(exchangeRaw(store, { ticket: started.ticket }))
    const session = await lacService(container).retrieveLoginAsCustomerSession(started.session_id)
    expect({
      status: response.status,
      code: response.data.code,
      started_at: session.started_at,
      end_reason: session.end_reason,
    }).toEqual({ status: 403, code: "assistance_not_allowed", started_at: null, end_reason: "consent_withdrawn" })
    expect(session.ended_at).not.toBeNull()
    const ended = await settledLogRows(container, "session_ended", { session_id: started.session_id })
    expect(ended).toHaveLength(1)
    expect(ended[0].details.end_reason).toBe("consent_withdrawn")
    expect(await logRows(container, "session_started")).toHaveLength(0)
  })

  it("refuses the exchange when jane's time-boxed consent ran out after the start (403 assistance_not_allowed, ended consent_withdrawn, ticket burnt)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const started = await start(store)
    const service = lacService(container)
    const consent = await endConsentNow(container, store.jane.id)

    const response = await refusal(exchangeRaw(store, { ticket: started.ticket }))
    expect({ status: response.status, code: response.data.code }).toEqual({
      status: 403,
      code: "assistance_not_allowed",
    })
    const session = await service.retrieveLoginAsCustomerSession(started.session_id)
    expect(session).toMatchObject({ end_reason: "consent_withdrawn", started_at: null })
    const ended = await settledLogRows(container, "session_ended", { session_id: started.session_id })
    expect(ended.map((row) => row.details.end_reason)).toEqual(["consent_withdrawn"])

    // Consent back: the old ticket stays dead.
    await service.updateRemoteAssistances({ id: consent.id, expires_at: null })
    await expectInvalidTicket(store, started.ticket)
  })
}
