import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import type { SuiteContext } from "../../helpers/suite"
import { prepareCart, setupCatalog } from "../../helpers/checkout"
import { impersonate, setupStore } from "../../helpers/fixtures"
import { createAdmin, eventually } from "../../helpers/seed"
import { orderHelpers } from "./helpers"

export default function attributionSuite({ api, getContainer }: SuiteContext) {
  const { orderEntry, oneSession, twoAdminSessions, orderLogRows } = orderHelpers({ api, getContainer })

  it("attributes an order completed in the impersonated storefront", async () => {
    const { container, store, catalog, headers, session } = await oneSession()

    const cartId = await prepareCart(api, headers, catalog)
    const completed = await api.post(`/store/carts/${cartId}/complete`, {}, headers)
    expect(completed.data.type).toBe("order")
    const orderId = completed.data.order.id

    const order = await eventually(async () => {
      const [o] = await container.resolve(Modules.ORDER).listOrders({ id: orderId }, { select: ["id", "metadata", "customer_id"] })
      return (o?.metadata?.login_as_customer as any)?.note ? o : null
    })
    expect(order!.customer_id).toBe(store.jane.id)
    expect(order!.metadata!.login_as_customer).toMatchObject({
      session_id: session.id,
      user_id: store.admin.id,
      admin_name: "Ada Admin",
      note: "Placed by Ada Admin via Login as Customer",
    })

    const rows = await eventually(async () => ((await orderLogRows(orderId)).length ? orderLogRows(orderId) : null))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ session_id: session.id, user_id: store.admin.id, customer_id: store.jane.id })

    // The customer sees the order in their assistance history.
    const history = await api.get("/store/customers/me/remote-assistance", store.jane.headers)
    expect(history.data.sessions[0]).toMatchObject({ id: session.id, order_ids: [orderId] })
  })

  it("attributes an order whose cart, changed in a session, is completed elsewhere (payment webhook path)", async () => {
    const { container, store, catalog, headers, session } = await oneSession()
    const cartId = await prepareCart(api, headers, catalog)

    // The session ends; the payment provider's webhook completes the cart later.
    await api.delete("/store/login-as-customer/session", headers)
    const { result } = await completeCartWorkflow(container).run({ input: { id: cartId } })
    const orderId = result.id

    const rows = await eventually(async () => ((await orderLogRows(orderId)).length ? orderLogRows(orderId) : null))
    expect(rows).toHaveLength(1)
    // Its line first, then the order's note.
    const entry = await eventually(async () => {
      const [order] = await container.resolve(Modules.ORDER).listOrders({ id: orderId }, { select: ["id", "metadata"] })
      return (order.metadata as any)?.login_as_customer ?? null
    })
    expect(entry.session_id).toBe(session.id)
  })

  it("attributes an order as the session's ticket_issued line records it: a row made to say another reason, mode or admin is not what the order's line records", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const bob = await createAdmin(api as never, container, "bob@example.com", { first_name: "Bob", last_name: "Other" })
    const placeAfter = async (tamper: (sessionId: string) => Promise<unknown>) => {
      const { headers, session } = await impersonate(api as never, store, store.jane, { reason: "T-1" })
      const cartId = await prepareCart(api, headers, catalog)
      await api.delete("/store/login-as-customer/session", headers)
      await tamper(session.id)
      const { result } = await completeCartWorkflow(container).run({ input: { id: cartId } })
      return { orderId: result.id as string, sessionId: session.id }
    }

    // The row's reason and mode changed: the order's line keeps the session's own.
    const first = await placeAfter((id) =>
      knex.raw(`update login_as_customer_session set reason = 'Bob helped', mode = 'read_only' where id = ?`, [id])
    )
    const [line] = await eventually(async () => ((await orderLogRows(first.orderId)).length ? orderLogRows(first.orderId) : null))
    expect(line).toMatchObject({ session_id: first.sessionId, user_id: store.admin.id, details: { reason: "T-1", mode: "full" } })

    // The row's admin and the cart's record changed to bob: the order is not bob's (nor, with its record changed, anyone's).
    const second = await placeAfter(async (id) => {
      await knex.raw(`update login_as_customer_session set user_id = ?, reason = 'Bob helped' where id = ?`, [bob.id, id])
      await knex.raw(`update login_as_customer_session_cart set user_id = ? where session_id = ?`, [bob.id, id])
    })
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const [order] = await container.resolve(Modules.ORDER).listOrders({ id: second.orderId }, { select: ["id", "metadata"] })
    expect(JSON.stringify(order.metadata ?? {})).not.toContain("Bob")
    expect((await orderLogRows(second.orderId)).map((row: any) => row.user_id)).not.toContain(bob.id)
  })

  it("attributes an order the admin only completed in the session (the customer prepared the cart), on record when the completion answers", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const cartId = await prepareCart(api, store.jane.headers, catalog)
    const { headers, session } = await impersonate(api as never, store)

    const completed = await api.post(`/store/carts/${cartId}/complete`, {}, headers)
    expect(completed.data.type).toBe("order")
    const orderId = completed.data.order.id
    // Medusa's order.placed subscriber ran before the completion's own line
    // was written; the guard attributes it once it is, before the answer.
    const rows = await orderLogRows(orderId)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ session_id: session.id, user_id: store.admin.id, customer_id: store.jane.id })
    const [order] = await container.resolve(Modules.ORDER).listOrders({ id: orderId }, { select: ["id", "metadata"] })
    expect((order.metadata as any).login_as_customer).toMatchObject({ session_id: session.id, note: "Placed by Ada Admin via Login as Customer" })
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await orderLogRows(orderId)).toHaveLength(1)
  })

  it("attributes an order to the session that acted on its cart last: the one completing it, not one that changed the cart before, nor one that first touched it later", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const bob = await createAdmin(api as never, container, "bob@example.com", { first_name: "Bob", last_name: "Second" })
    const orderOf = async (orderId: string) => {
      const [order] = await container.resolve(Modules.ORDER).listOrders({ id: orderId }, { select: ["id", "metadata"] })
      return (order.metadata as any)?.login_as_customer
    }

    // Ada's session changes jane's cart; Bob's only request completes it.
    const first = await prepareCart(api, store.jane.headers, catalog)
    const ada = await impersonate(api as never, store)
    await api.post(`/store/carts/${first}`, { metadata: { gift_wrap: "yes" } }, ada.headers)
    const bobs = await impersonate(api as never, { ...store, admin: bob })
    const placed = (await api.post(`/store/carts/${first}/complete`, {}, bobs.headers)).data.order.id
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect((await orderLogRows(placed)).map((row: any) => row.session_id)).toEqual([bobs.session.id])
    expect(await orderOf(placed)).toMatchObject({ session_id: bobs.session.id, user_id: bob.id })

    // Bob's session touches the next cart first, Ada's after it; Bob's goes on and completes it.
    const second = await prepareCart(api, store.jane.headers, catalog)
    const bobAgain = await impersonate(api as never, { ...store, admin: bob })
    await api.post(`/store/carts/${second}`, { metadata: { note: "bob" } }, bobAgain.headers)
    const adaAgain = await impersonate(api as never, store)
    await api.post(`/store/carts/${second}`, { metadata: { note: "ada" } }, adaAgain.headers)
    await api.post(`/store/carts/${second}`, { metadata: { note: "bob again" } }, bobAgain.headers)
    const collection = (await api.post("/store/payment-collections", { cart_id: second }, bobAgain.headers)).data.payment_collection.id
    await api.post(`/store/payment-collections/${collection}/payment-sessions`, { provider_id: "pp_system_default" }, bobAgain.headers)
    const placedAgain = (await api.post(`/store/carts/${second}/complete`, {}, bobAgain.headers)).data.order.id
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect((await orderLogRows(placedAgain)).map((row: any) => row.session_id)).toEqual([bobAgain.session.id])
    expect(await orderOf(placedAgain)).toMatchObject({ session_id: bobAgain.session.id, user_id: bob.id })
  })

  it("attributes an order to the session completing it whatever is sent around the completion: a capitalised path, its own refused requests during it, another session's requests on the completed cart", async () => {
    const { store, catalog, ada, eves } = await twoAdminSessions()
    const anyStatus = (headers: object) => ({ ...headers, validateStatus: () => true })
    const later = (ms: number, send: () => Promise<any>) => new Promise((resolve) => setTimeout(resolve, ms)).then(send)
    const rounds: Array<[string, string, (cartId: string) => Array<Promise<any>>]> = [
      ["/Complete", "a capitalised path", () => []],
      // Each refused (no session moves a cart to another account) and logged while the completion runs.
      ["/complete", "her own refused requests", (cartId) =>
        [5, 20, 60, 100, 150, 200, 300].map((ms) => later(ms, () => api.post(`/store/carts/${cartId}/customer`, {}, anyStatus(ada.headers))))],
      // Answered 200 on a completed cart too.
      ["/complete", "another session's requests", (cartId) =>
        [5, 50, 100, 200, 300, 400, 600].map((ms) => later(ms, () => api.post(`/store/carts/${cartId}/taxes`, {}, anyStatus(eves.headers))))],
    ]
    for (const round of [1, 2]) {
      for (const [path, what, around] of rounds) {
        // The customer prepares the cart, Eve's session changes it, Ada's completes it.
        const cartId = await prepareCart(api, store.jane.headers, catalog)
        expect((await api.post(`/store/carts/${cartId}`, { metadata: { touched_by: "eve" } }, eves.headers)).status).toBe(200)
        const [completed, ...others] = await Promise.all([api.post(`/store/carts/${cartId}${path}`, {}, ada.headers), ...around(cartId)])
        expect({ round, what, type: completed.data.type }).toEqual({ round, what, type: "order" })
        if (what === "her own refused requests") expect(others.map((other) => other.status)).toEqual(others.map(() => 403))
        const orderId = completed.data.order.id
        await new Promise((resolve) => setTimeout(resolve, 1000))
        const rows = await orderLogRows(orderId)
        expect({ round, what, sessions: rows.map((row: any) => row.session_id) }).toEqual({ round, what, sessions: [ada.session.id] })
        expect({ round, what, note: (await orderEntry(orderId))?.note }).toEqual({
          round,
          what,
          note: "Placed by Ada Admin via Login as Customer",
        })
      }
    }
  })

  it("leaves an order the customer placed alone hers when a session completes her completed cart again (Medusa answers with her order) or acts on it after", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const cartId = await prepareCart(api, store.jane.headers, catalog)
    const { headers } = await impersonate(api as never, store)
    // A request the store refuses (400) still records the cart for the session.
    const refusedAdd = await api.post(`/store/carts/${cartId}/line-items`, { variant_id: "variant_nope", quantity: 1 }, { ...headers, validateStatus: () => true })
    expect(refusedAdd.status).toBe(400)
    const orderId = (await api.post(`/store/carts/${cartId}/complete`, {}, store.jane.headers)).data.order.id
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const again = await api.post(`/store/carts/${cartId}/complete`, {}, headers)
    expect({ type: again.data.type, id: again.data.order?.id }).toEqual({ type: "order", id: orderId })
    expect((await api.post(`/store/carts/${cartId}/taxes`, {}, { ...headers, validateStatus: () => true })).status).toBeLessThan(500)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(await orderLogRows(orderId)).toEqual([])
    expect(await orderEntry(orderId)).toBeUndefined()
  })

  it("attributes an order completed in a session whose request on the cart named a made-up order id in its path (Medusa answers 200 and changes nothing)", async () => {
    const { container, store, catalog, headers, session } = await oneSession()
    const cartId = await prepareCart(api, headers, catalog)
    const madeUp = await api.delete(`/store/carts/${cartId}/line-items/order_01ABCDEFGHJKMNPQRSTVWXYZ0`, { ...headers, validateStatus: () => true })
    expect(madeUp.status).toBeLessThan(300)
    const orderId = (await api.post(`/store/carts/${cartId}/complete`, {}, headers)).data.order.id
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect((await orderLogRows(orderId)).map((row: any) => row.session_id)).toEqual([session.id])
    expect(await orderEntry(orderId)).toMatchObject({ session_id: session.id, user_id: store.admin.id })
  })

  it("leaves orders the customer places alone", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const cartId = await prepareCart(api, store.jane.headers, catalog)
    const completed = await api.post(`/store/carts/${cartId}/complete`, {}, store.jane.headers)
    const orderId = completed.data.order.id
    // Give the subscribers time to (not) act.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const [order] = await container.resolve(Modules.ORDER).listOrders({ id: orderId }, { select: ["id", "metadata"] })
    expect((order.metadata as any)?.login_as_customer).toBeUndefined()
    expect(await orderLogRows(orderId)).toHaveLength(0)
  })
}
