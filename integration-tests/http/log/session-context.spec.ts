import { prepareCart, setupCatalog } from "../../helpers/checkout"
import { impersonate, saveSettings, settledLogRows, setupStore } from "../../helpers/fixtures"
import { refused } from "../../helpers/seed"
import { runSuites, type SuiteContext } from "../../helpers/suite"

const TICKET = "ZD-48151"

/**
 * What a store action's and an order's lines say about their session: the
 * restricted action a refusal was about, the session's reason and mode (so a
 * search for the ticket reference finds every line of the session); and
 * whether a customer still has lines to erase.
 */
function sessionContextSuite({ api, getContainer }: SuiteContext) {
  const search = async (headers: unknown, q: string) =>
    (await api.get(`/admin/login-as-customer/log?q=${encodeURIComponent(q)}&limit=100`, headers as never)).data
      .log_entries as Array<{ action: string; details: Record<string, unknown> }>

  it("names the restricted action a store action was refused for, and carries the session's reason and mode", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    await saveSettings(api as never, store, { restricted_actions: ["change_email", "manage_addresses"] })
    const { headers, session } = await impersonate(api as never, store, store.jane, {
      reason: `Customer called, ticket ${TICKET}`,
      mode: "full",
    })
    const answer = await refused(api.post("/store/customers/me/addresses", { address_1: "Main St 1" }, headers))
    expect(answer.status).toBe(403)

    const [line] = await settledLogRows(container, "store_action", { session_id: session.id })
    expect(line.details).toMatchObject({
      outcome: "refused",
      code: "restricted_while_impersonating",
      restricted_actions: ["manage_addresses"],
      reason: `Customer called, ticket ${TICKET}`,
      mode: "full",
    })
    // The ticket reference finds the refused action beside the session's own lines.
    const found = await search(store.admin.headers, TICKET)
    expect(found.map((entry) => entry.action)).toEqual(expect.arrayContaining(["ticket_issued", "session_started", "store_action"]))

    // Erasing her data removes the reason from the store action's line too, and the log still verifies.
    await api.post("/admin/login-as-customer/log/erase", { customer_id: store.jane.id }, store.admin.headers)
    expect(await search(store.admin.headers, TICKET)).toEqual([])
    const verified = await api.post("/admin/login-as-customer/log/verify", {}, store.admin.headers)
    expect(verified.data).toMatchObject({ verified: true, first_mismatch: null })
  })

  it("writes the session's reason and mode on allowed store actions and on the order placed", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const { headers, session } = await impersonate(api as never, store, store.jane, { reason: `Order for ${TICKET}` })
    const cartId = await prepareCart(api, headers, catalog)
    const completed = await api.post(`/store/carts/${cartId}/complete`, {}, headers)
    expect(completed.data.type).toBe("order")

    const [action] = await settledLogRows(container, "store_action", { session_id: session.id })
    expect(action.details).toMatchObject({ outcome: "allowed", reason: `Order for ${TICKET}`, mode: "full" })
    expect(action.details.restricted_actions).toBeUndefined()
    const [order] = await settledLogRows(container, "order_placed", { session_id: session.id })
    expect(order.details).toMatchObject({ order_id: completed.data.order.id, reason: `Order for ${TICKET}`, mode: "full" })
    const found = await search(store.admin.headers, TICKET)
    expect(found.map((entry) => entry.action)).toEqual(expect.arrayContaining(["store_action", "order_placed"]))
  })

  it("says whether a customer has lines to erase: yes before, no after erasing, yes again once new lines exist", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    await impersonate(api as never, store, store.jane, { reason: `Ticket ${TICKET}` })
    await settledLogRows(container, "session_started", { customer_id: store.jane.id })
    const status = async () =>
      (await api.get(`/admin/login-as-customer/log/erase?customer_id=${store.jane.id}`, store.admin.headers)).data

    expect(await status()).toMatchObject({ customer_id: store.jane.id, can_erase: true })
    expect((await status()).erasable_lines).toBeGreaterThan(0)

    const erased = await api.post("/admin/login-as-customer/log/erase", { customer_id: store.jane.id }, store.admin.headers)
    expect(erased.data.erased_lines).toBeGreaterThan(0)
    await settledLogRows(container, "personal_data_erased", { customer_id: store.jane.id })
    expect(await status()).toMatchObject({ erasable_lines: 0, can_erase: true })

    // A new session writes new lines about her: there is something to erase again.
    await impersonate(api as never, store, store.jane, { reason: `Ticket ${TICKET}-2` })
    await settledLogRows(container, "session_started", { customer_id: store.jane.id }, { count: 2 })
    expect((await status()).erasable_lines).toBeGreaterThan(0)

    // A bad customer id is a clear 400.
    const bad = await refused(api.get("/admin/login-as-customer/log/erase", store.admin.headers))
    expect(bad.status).toBe(400)
  })
}

runSuites({ "session context": sessionContextSuite }, { timeout: 180_000 })
