import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import type { SuiteContext } from "../../helpers/suite"
import { prepareCart, setupCatalog } from "../../helpers/checkout"
import {
  impersonate,
  lacService,
  LOGIN_URL,
  refusal,
  saveSettings,
  settledLogRows,
  setupStore,
  Store,
  ticketOf,
} from "../../helpers/fixtures"
import { createAdmin } from "../../helpers/seed"

// An order's id that names no order.
const MISSING_ORDER = "order_01JZZZZZZZZZZZZZZZZZZZZZZZ"

/** What a start is tied to: one of the customer's orders, the admin's previous session, other admins' sessions of the customer. */
export default function startContextSuite({ api, getContainer }: SuiteContext) {
  const start = (store: Store, customerId: string, body: Record<string, unknown> = {}, headers = store.admin.headers) =>
    api.post(`/admin/customers/${customerId}/login-as-customer`, body, headers)

  it("takes order_id from this customer's orders only (404 order_not_found otherwise); the order's sales channel picks the storefront", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    await saveSettings(api as never, store, {
      storefronts: [
        { id: "main", name: "Main store", login_url: LOGIN_URL },
        { id: "web", name: "Web", sales_channel_id: catalog.salesChannel.id, login_url: "https://b2b.example.com/web/assist" },
      ],
    })
    const placeOrder = async (headers: { headers: Record<string, string> }) => {
      const cartId = await prepareCart(api, headers, catalog)
      const { result } = await completeCartWorkflow(container).run({ input: { id: cartId } })
      return result.id as string
    }
    const johnsOrder = await placeOrder(store.john.headers)
    const janesOrder = await placeOrder(store.jane.headers)

    const foreign = await refusal(start(store, store.jane.id, { order_id: johnsOrder }))
    expect({ status: foreign.status, code: foreign.data.code }).toEqual({ status: 404, code: "order_not_found" })
    const missing = await refusal(start(store, store.jane.id, { order_id: MISSING_ORDER }))
    expect({ status: missing.status, code: missing.data.code }).toEqual({ status: 404, code: "order_not_found" })
    // What is not an order's id is refused as such, and kept nowhere (a refused start's line outlives erasure).
    for (const typed of ["jane@example.com", "order_missing", "Jane Doe"]) {
      const invalid = await refusal(start(store, store.jane.id, { order_id: typed }))
      expect({ typed, status: invalid.status, code: invalid.data.code }).toEqual({ typed, status: 400, code: "invalid_data" })
      expect(invalid.data.message).toContain("must be an order's id")
    }
    expect(await lacService(container).listLoginAsCustomerSessions({})).toHaveLength(0)

    const response = await start(store, store.jane.id, { order_id: janesOrder })
    expect(response.status).toBe(201)
    expect(response.data.redirect_url.startsWith("https://b2b.example.com/web/assist#ticket=")).toBe(true)
    const session = await lacService(container).retrieveLoginAsCustomerSession(response.data.session_id)
    expect(session).toMatchObject({ context: { order_id: janesOrder }, storefront_id: "web" })

    // Without an order, the first storefront.
    const plain = await start(store, store.jane.id)
    expect(plain.data.redirect_url.startsWith(`${LOGIN_URL}#ticket=`)).toBe(true)

    const denied = await settledLogRows(container, "login_denied", {}, { count: 2 })
    expect(denied.map((row) => [row.details.code, row.details.order_id]).sort()).toEqual(
      [
        ["order_not_found", johnsOrder],
        ["order_not_found", MISSING_ORDER],
      ].sort()
    )
  })

  it("keeps one active session per admin: a new start supersedes the previous session (token refused, ticket dead), logged once each", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const first = await impersonate(api as never, store)
    expect((await api.get("/store/customers/me", first.headers)).status).toBe(200)

    // A second start (pending, not exchanged yet) ends the first.
    const second = await start(store, store.jane.id)
    const firstRefused = await refusal(api.get("/store/customers/me", first.headers))
    expect({ status: firstRefused.status, code: firstRefused.data.code }).toEqual({
      status: 401,
      code: "impersonation_ended",
    })
    const service = lacService(container)
    expect(await service.retrieveLoginAsCustomerSession(first.session.id)).toMatchObject({
      end_reason: "superseded",
    })

    // A third start (for another customer) supersedes the second: its ticket is dead.
    await saveSettings(api as never, store, { consent_mode: "not_required" })
    const third = await start(store, store.john.id)
    const dead = await refusal(
      api.post(
        "/store/login-as-customer/sessions",
        { ticket: ticketOf(second.data.redirect_url) },
        { headers: { "x-publishable-api-key": store.publishableKey } }
      )
    )
    expect({ status: dead.status, code: dead.data.code }).toEqual({ status: 401, code: "invalid_ticket" })
    const secondSession = await service.retrieveLoginAsCustomerSession(second.data.session_id)
    expect(secondSession).toMatchObject({ end_reason: "superseded", started_at: null })
    expect(secondSession.ended_at).not.toBeNull()

    // The newest is alive and exchangeable.
    const exchanged = await store.storefront().client.fetch<any>("/store/login-as-customer/sessions", {
      method: "POST",
      body: { ticket: ticketOf(third.data.redirect_url) },
    })
    expect(exchanged.session.id).toBe(third.data.session_id)
    const open = await service.listLoginAsCustomerSessions({ user_id: store.admin.id, ended_at: null })
    expect(open.map((s: any) => s.id)).toEqual([third.data.session_id])

    const ended = await settledLogRows(container, "session_ended", {}, { count: 2 })
    expect(ended.map((row) => [row.session_id, row.details.end_reason]).sort()).toEqual(
      [
        [first.session.id, "superseded"],
        [second.data.session_id, "superseded"],
      ].sort()
    )
  })

  it("lets several admins assist jane at once; each sees the others' active sessions with their names", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const second = await createAdmin(api as never, container, "second@example.com", {
      first_name: "Bob",
      last_name: "Helper",
    })

    const mine = await impersonate(api as never, store)
    const secondStore = { ...store, admin: second }
    const theirs = await impersonate(api as never, secondStore)
    expect(mine.session.id).not.toBe(theirs.session.id)

    // Neither superseded the other: both tokens work side by side.
    expect((await api.get("/store/customers/me", mine.headers)).data.customer.id).toBe(store.jane.id)
    expect((await api.get("/store/customers/me", theirs.headers)).data.customer.id).toBe(store.jane.id)

    for (const viewer of [store.admin, second]) {
      const { data } = await api.get(`/admin/customers/${store.jane.id}/login-as-customer`, viewer.headers)
      expect(data.can_login).toBe(true)
      const sessions = data.active_sessions
        .map((s: any) => ({ id: s.id, user_id: s.user_id, admin: s.admin, status: s.status }))
        .sort((a: any, b: any) => a.id.localeCompare(b.id))
      expect(sessions).toEqual(
        [
          {
            id: mine.session.id,
            user_id: store.admin.id,
            admin: { id: store.admin.id, email: "admin@example.com", first_name: "Ada", last_name: "Admin" },
            status: "active",
          },
          {
            id: theirs.session.id,
            user_id: second.id,
            admin: { id: second.id, email: "second@example.com", first_name: "Bob", last_name: "Helper" },
            status: "active",
          },
        ].sort((a, b) => a.id.localeCompare(b.id))
      )
    }

    // An ended session drops out of the list.
    await api.post(`/admin/login-as-customer/sessions/${theirs.session.id}/end`, {}, store.admin.headers)
    const { data } = await api.get(`/admin/customers/${store.jane.id}/login-as-customer`, second.headers)
    expect(data.active_sessions.map((s: any) => s.id)).toEqual([mine.session.id])
  })
}
