import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { orderHelpers } from "./helpers"
import { prepareCart, setupCatalog } from "../../helpers/checkout"
import { impersonate, lacService, logQuiet, logRows, refusal, setupStore, Store } from "../../helpers/fixtures"
import { eventually } from "../../helpers/seed"

type Headers = { headers: Record<string, string> }

/**
 * Which carts a session may act on and which it is credited with: a change
 * that fails credits nothing, and routes that name a cart another way than
 * by its path (a body's `cart_id`, a payment collection) follow the same
 * foreign-cart rule, attribution and logging as /store/carts/:id.
 */
export default function cartRulesSuite({ api, getContainer }: SuiteContext) {
  const { oneSession } = orderHelpers({ api, getContainer })
  const guest = (store: Store): Headers => ({ headers: { "x-publishable-api-key": store.publishableKey } })
  const cartRecords = (cart_id: string) => lacService(getContainer()).listLoginAsCustomerSessionCarts({ cart_id })
  const emptyCart = async (headers: Headers, regionId: string) =>
    (await api.post("/store/carts", { region_id: regionId }, headers)).data.cart.id as string
  const collectionOf = async (headers: Headers, cartId: string) =>
    (await api.post("/store/payment-collections", { cart_id: cartId }, headers)).data.payment_collection.id as string
  const lastAction = async (sessionId: string) => {
    const rows = await logRows(getContainer(), "store_action", { session_id: sessionId })
    return rows[rows.length - 1].details
  }

  it("a change refused with 400 makes the order the customer places later no admin's", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const cartId = await prepareCart(api, store.jane.headers, catalog)
    const { headers, session } = await impersonate(api as never, store)

    const bogus = await refusal(api.post(`/store/carts/${cartId}`, { bogus: 1 }, headers))
    expect(bogus.status).toBe(400)
    const badVariant = await refusal(
      api.post(`/store/carts/${cartId}/line-items`, { variant_id: "variant_01JZZZZZZZZZZZZZZZZZZZZZZZ", quantity: 1 }, headers)
    )
    expect(badVariant.status).toBeGreaterThanOrEqual(400)
    // The record stays; it counts only beside a line of a change the store made.
    expect(await cartRecords(cartId)).toHaveLength(1)
    // Both failures are on record as what they were.
    const statuses = (await logRows(container, "store_action", { session_id: session.id })).map((row) => row.details.status)
    expect(statuses).toEqual([400, badVariant.status])

    const completed = await api.post(`/store/carts/${cartId}/complete`, {}, store.jane.headers)
    expect(completed.data.type).toBe("order")
    const orderId = completed.data.order.id
    await logQuiet(container)
    const [order] = await container.resolve(Modules.ORDER).listOrders({ id: orderId }, { select: ["id", "metadata"] })
    expect((order.metadata as any)?.login_as_customer).toBeUndefined()
    const placed = (await logRows(container, "order_placed")).filter((row) => row.details?.order_id === orderId)
    expect(placed).toHaveLength(0)

    // A change that goes through is recorded as before.
    const other = await prepareCart(api, store.jane.headers, catalog)
    await api.post(`/store/carts/${other}/line-items`, { variant_id: catalog.variantId, quantity: 1 }, headers)
    expect(await cartRecords(other)).toHaveLength(1)
  })

  it("a change that fails beside one that goes through leaves the cart recorded: the order the customer places later is the admin's", async () => {
    const { container, store, catalog, headers, session } = await oneSession()
    const carts: string[] = []
    for (let round = 0; round < 4; round++) {
      const cartId = await emptyCart(store.jane.headers, catalog.region.id)
      // A request the store refuses, sent just before a change it makes.
      const failing = refusal(
        api.post(`/store/carts/${cartId}/line-items`, { variant_id: "variant_01JZZZZZZZZZZZZZZZZZZZZZZZ", quantity: 1 }, headers)
      )
      await new Promise((resolve) => setTimeout(resolve, 10 + 10 * round))
      const changed = await api.post(`/store/carts/${cartId}/line-items`, { variant_id: catalog.variantId, quantity: 2 }, headers)
      expect(changed.status).toBe(200)
      expect((await failing).status).toBeGreaterThanOrEqual(400)
      carts.push(cartId)
    }
    for (const cartId of carts) {
      expect(await cartRecords(cartId)).toHaveLength(1)
    }
    await api.post(
      `/store/payment-collections/${await collectionOf(store.jane.headers, carts[0])}/payment-sessions`,
      { provider_id: "pp_system_default" },
      store.jane.headers
    )
    const completed = await api.post(`/store/carts/${carts[0]}/complete`, {}, store.jane.headers)
    expect(completed.data.type).toBe("order")
    const orderId = completed.data.order.id
    const placed = await eventually(async () => {
      const rows = (await logRows(container, "order_placed")).filter((row) => row.details?.order_id === orderId)
      return rows.length ? rows : null
    })
    expect(placed[0]).toMatchObject({ session_id: session.id, user_id: store.admin.id })
  })

  it("completions in a session, many at once and half given up by their client, hold nothing: each is answered, the store goes on answering, no advisory lock stays held", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const { headers } = await impersonate(api as never, store)
    const carts = await Promise.all(Array.from({ length: 12 }, () => emptyCart(store.jane.headers, catalog.region.id)))
    const controllers = carts.map(() => new AbortController())
    const outcomes = carts.map((cartId, i) =>
      api.post(`/store/carts/${cartId}/complete`, {}, { ...headers, signal: controllers[i].signal }).then(
        (res: { status: number }) => res.status,
        (error: { response?: { status: number }; code?: string }) => error.response?.status ?? error.code
      )
    )
    setTimeout(() => controllers.slice(0, 6).forEach((controller) => controller.abort()), 5)
    const answered = await Promise.all(outcomes)
    // An empty cart can't be completed: each one not given up is answered with a 4xx.
    for (const status of answered.slice(6)) {
      expect(status).toEqual(expect.any(Number))
      expect(status).toBeGreaterThanOrEqual(400)
      expect(status).toBeLessThan(500)
    }
    expect((await api.get("/store/products?limit=1", guest(store))).status).toBe(200)
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const held = await knex.raw(
      `select count(*)::int as "n" from pg_locks l join pg_stat_activity a using ("pid") where l."locktype" = 'advisory' and a."state" like 'idle%'`
    )
    expect(held.rows[0].n).toBe(0)
  })

  it("refuses payment collections and sessions for another customer's or a guest's cart, naming the cart", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const johnsCart = await emptyCart(store.john.headers, catalog.region.id)
    const guestCart = await prepareCart(api, guest(store), catalog)
    const guestCollection = await collectionOf(guest(store), guestCart)
    const { headers, session } = await impersonate(api as never, store)

    for (const cartId of [johnsCart, guestCart]) {
      const response = await refusal(api.post("/store/payment-collections", { cart_id: cartId }, headers))
      expect({ status: response.status, code: response.data.code }).toEqual({
        status: 403,
        code: "restricted_while_impersonating",
      })
      expect(await lastAction(session.id)).toMatchObject({ outcome: "refused", resource_ids: [cartId] })
    }
    const sessions = await refusal(
      api.post(`/store/payment-collections/${guestCollection}/payment-sessions`, { provider_id: "pp_system_default" }, headers)
    )
    expect({ status: sessions.status, code: sessions.data.code }).toEqual({ status: 403, code: "restricted_while_impersonating" })
    expect((await lastAction(session.id)).resource_ids).toEqual(expect.arrayContaining([guestCollection, guestCart]))
    const calculate = await refusal(
      api.post("/store/shipping-options/so_01JZZZZZZZZZZZZZZZZZZZZZZZ/calculate", { cart_id: johnsCart }, headers)
    )
    expect({ status: calculate.status, code: calculate.data.code }).toEqual({ status: 403, code: "restricted_while_impersonating" })
    expect(await cartRecords(johnsCart)).toHaveLength(0)
    expect(await cartRecords(guestCart)).toHaveLength(0)
    const [guestAfter] = await container.resolve(Modules.CART).listCarts({ id: guestCart }, { select: ["id", "customer_id"] })
    expect(guestAfter.customer_id).toBeFalsy()
  })

  it("refuses reading another customer's or a guest's cart (GET /store/carts/:id, GET /store/shipping-options?cart_id=) while impersonating; the customer's own cart reads", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const johnsCart = await emptyCart(store.john.headers, catalog.region.id)
    const guestCart = await emptyCart(guest(store), catalog.region.id)
    const janesCart = await emptyCart(store.jane.headers, catalog.region.id)
    const { headers, session } = await impersonate(api as never, store)
    for (const cartId of [johnsCart, guestCart]) {
      const response = await refusal(api.get(`/store/carts/${cartId}`, headers))
      expect({ status: response.status, code: response.data.code, cart: response.data.cart }).toEqual({
        status: 403,
        code: "restricted_while_impersonating",
        cart: undefined,
      })
      // Named by its route, as an allowed request's line is.
      expect(await lastAction(session.id)).toMatchObject({ method: "GET", outcome: "refused", resource_ids: [cartId], route: "/store/carts/:id" })
      // The shipping options of a cart name it in the query: the same rule.
      const options = await refusal(api.get(`/store/shipping-options?cart_id=${cartId}`, headers))
      expect({ status: options.status, code: options.data.code }).toEqual({ status: 403, code: "restricted_while_impersonating" })
      expect(await lastAction(session.id)).toMatchObject({ method: "GET", outcome: "refused", resource_ids: [cartId], route: "/store/shipping-options" })
    }
    expect((await api.get(`/store/carts/${janesCart}`, headers)).data.cart.id).toBe(janesCart)
    expect((await api.get(`/store/shipping-options?cart_id=${janesCart}`, headers)).status).toBe(200)
    expect(await cartRecords(janesCart)).toHaveLength(0)
    // The guest still reads their own cart.
    expect((await api.get(`/store/carts/${guestCart}`, guest(store))).data.cart.id).toBe(guestCart)
  })

  it("records the customer's own cart paid through a payment collection, and names it in the log", async () => {
    const { container, store, catalog, headers, session } = await oneSession()

    // Through the collection's own id: a cart the customer made, untouched in the session so far.
    const first = await emptyCart(store.jane.headers, catalog.region.id)
    await api.post(`/store/carts/${first}/line-items`, { variant_id: catalog.variantId, quantity: 1 }, store.jane.headers)
    const firstCollection = await collectionOf(store.jane.headers, first)
    await api.post(`/store/payment-collections/${firstCollection}/payment-sessions`, { provider_id: "pp_system_default" }, headers)
    expect(await cartRecords(first)).toHaveLength(1)
    expect((await lastAction(session.id)).resource_ids).toEqual(expect.arrayContaining([firstCollection, first]))

    // Through the body's cart_id.
    const second = await emptyCart(store.jane.headers, catalog.region.id)
    const created = await api.post("/store/payment-collections", { cart_id: second }, headers)
    expect(created.status).toBe(200)
    expect(await cartRecords(second)).toHaveLength(1)
    expect((await lastAction(session.id)).resource_ids).toEqual(expect.arrayContaining([second]))
  })

  it("refuses email verification and multi-factor routes while impersonating (403, not 500)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const { headers } = await impersonate(api as never, store)
    for (const path of ["/auth/verification/request", "/auth/verification/confirm", "/auth/mfa/factors"]) {
      const response = await refusal(api.post(path, {}, headers))
      expect({ path, status: response.status, code: response.data.code }).toEqual({
        path,
        status: 403,
        code: "restricted_while_impersonating",
      })
    }
    // Reading the multi-factor setup is the customer's too, whatever the method.
    for (const path of ["/auth/mfa/factors", "/auth/mfa/recovery-codes"]) {
      const response = await refusal(api.get(path, headers))
      expect({ path, status: response.status, code: response.data.code }).toEqual({ path, status: 403, code: "restricted_while_impersonating" })
    }
  })

  it("refuses moving orders between accounts while impersonating (/store/orders/:id/transfer/*)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const { headers } = await impersonate(api as never, store)
    const order = "order_01JZZZZZZZZZZZZZZZZZZZZZZZ"
    for (const step of ["request", "accept", "decline", "cancel"]) {
      const response = await refusal(api.post(`/store/orders/${order}/transfer/${step}`, { token: "x" }, headers))
      expect({ step, status: response.status, code: response.data.code }).toEqual({ step, status: 403, code: "restricted_while_impersonating" })
      // The customer's own token reaches Medusa's route (which answers for itself).
      const own = await refusal(api.post(`/store/orders/${order}/transfer/${step}`, { token: "x" }, store.jane.headers))
      expect(own.data.code).not.toBe("restricted_while_impersonating")
    }
  })

  it("a cart_id no cart can have (it holds a NUL) is answered 400 with a message, never 500, in a full and a read-only session, and the change is on record", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const nul = `${await emptyCart(store.jane.headers, catalog.region.id)}\u0000`
    const answers = async (headers: Headers) => {
      const responses = [
        await refusal(api.post("/store/payment-collections", { cart_id: nul }, headers)),
        await refusal(api.post("/store/shipping-options/so_01JZZZZZZZZZZZZZZZZZZZZZZZ/calculate", { cart_id: nul }, headers)),
        await refusal(api.get(`/store/shipping-options?cart_id=${encodeURIComponent(nul)}`, headers)),
      ]
      return responses.map((response) => `${response.status} ${response.data?.code}: ${response.data?.message}`)
    }
    const invalid = "400 invalid_data: cart_id holds a NUL character (\\u0000): no cart has such an id"

    const full = await impersonate(api as never, store)
    expect(await answers(full.headers)).toEqual([invalid, invalid, invalid])
    // Both changes are on record as answered 400, naming no cart (the shipping option is in the path).
    const logged = await logRows(container, "store_action", { session_id: full.session.id })
    expect(logged.map((row) => [row.details.status, row.details.outcome, row.details.resource_ids])).toEqual([
      [400, "allowed", []],
      [400, "allowed", ["so_01JZZZZZZZZZZZZZZZZZZZZZZZ"]],
    ])

    const readOnly = await impersonate(api as never, store, store.jane, { mode: "read_only" })
    const refusedAsReadOnly = "403 read_only_session: This Login as Customer session is read-only"
    expect(await answers(readOnly.headers)).toEqual([refusedAsReadOnly, refusedAsReadOnly, invalid])
  })

}
