import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { orderHelpers } from "./helpers"
import { attributeOrderWorkflow } from "../../../src/workflows/orders/workflows/attribute-order"
import { markCartForSessionWorkflow } from "../../../src/workflows/orders/workflows/mark-cart-for-session"
import { prepareCart, setupCatalog } from "../../helpers/checkout"
import { impersonate, lacService, logRows, refusal, setupStore, Store } from "../../helpers/fixtures"
import { createAdmin, eventually, SETTLE_MS, sleep } from "../../helpers/seed"

/**
 * Order attribution rests on the plugin's own record of the carts a session
 * changed, never on what a client can write: cart `metadata` is input.
 */
export default function forgedAttributionSuite({ api, getContainer }: SuiteContext) {
  const { oneSession } = orderHelpers({ api, getContainer })
  type Headers = { headers: Record<string, string> }
  const guest = (store: Store): Headers => ({ headers: { "x-publishable-api-key": store.publishableKey } })

  const orderOf = async (orderId: string) => {
    const [order] = await getContainer()
      .resolve(Modules.ORDER)
      .listOrders({ id: orderId }, { select: ["id", "metadata", "customer_id"] })
    return order as { id: string; metadata: Record<string, any> | null; customer_id: string | null }
  }
  const orderLines = async (orderId: string) =>
    (await logRows(getContainer(), "order_placed")).filter((row) => row.details?.order_id === orderId)
  const sessionCarts = (filter: Record<string, unknown>) =>
    lacService(getContainer()).listLoginAsCustomerSessionCarts(filter) as Promise<any[]>

  const complete = async (cartId: string, headers: Headers): Promise<string> => {
    const completed = await api.post(`/store/carts/${cartId}/complete`, {}, headers)
    expect(completed.data.type).toBe("order")
    return completed.data.order.id
  }

  /**
   * Proves an order is not attributed: the attribution workflow, run again
   * here, finds nothing, and neither the subscriber nor it wrote a line or
   * left a `login_as_customer` entry in the order's metadata.
   */
  const expectNotAttributed = async (orderId: string) => {
    const { result } = await attributeOrderWorkflow(getContainer()).run({ input: { order_id: orderId } })
    expect(result).toBeNull()
    await sleep(SETTLE_MS)
    expect(await orderLines(orderId)).toEqual([])
    expect((await orderOf(orderId)).metadata?.login_as_customer).toBeUndefined()
  }
  const attributed = async (orderId: string) =>
    eventually(async () => {
      const order = await orderOf(orderId)
      return order?.metadata?.login_as_customer?.note ? order : null
    })

  /** Writes a marker into a cart's metadata on the server side, as an older version (or any other server path) would. */
  const markInMetadata = async (cartId: string, marker: Record<string, unknown>) => {
    const carts = getContainer().resolve(Modules.CART)
    const cart = await carts.retrieveCart(cartId, { select: ["id", "metadata"] })
    await carts.updateCarts(cartId, { metadata: { ...(cart.metadata ?? {}), login_as_customer: marker } })
  }

  describe("store routes refuse the reserved metadata key", () => {
    it("POST /store/carts and POST /store/carts/:id with metadata.login_as_customer → 400 invalid_data; other metadata passes", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const catalog = await setupCatalog(container, store.publishableKey)
      const marker = { login_as_customer: { session_id: "lacs_01JZZZZZZZZZZZZZZZZZZZZZZZ", user_id: store.admin.id } }

      for (const headers of [guest(store), store.jane.headers]) {
        const created = await refusal(api.post("/store/carts", { region_id: catalog.region.id, metadata: marker }, headers))
        expect({ status: created.status, type: created.data.type, code: created.data.code }).toEqual({
          status: 400,
          type: "invalid_data",
          code: "invalid_data",
        })
        expect(created.data.message).toContain("metadata.login_as_customer")

        const { data } = await api.post("/store/carts", { region_id: catalog.region.id, metadata: { gift_wrap: "yes" } }, headers)
        expect(data.cart.metadata).toEqual({ gift_wrap: "yes" })
        const updated = await refusal(api.post(`/store/carts/${data.cart.id}`, { metadata: { gift_wrap: "no", ...marker } }, headers))
        expect({ status: updated.status, code: updated.data.code }).toEqual({ status: 400, code: "invalid_data" })
        const [after] = await container.resolve(Modules.CART).listCarts({ id: data.cart.id }, { select: ["id", "metadata"] })
        expect(after.metadata).toEqual({ gift_wrap: "yes" })
        // Other keys, null metadata and line item metadata are the storefront's own.
        expect((await api.post(`/store/carts/${data.cart.id}`, { metadata: { note: "x" } }, headers)).status).toBe(200)
        expect((await api.post(`/store/carts/${data.cart.id}`, { metadata: null }, headers)).status).toBe(200)
        const item = await api.post(`/store/carts/${data.cart.id}/line-items`, { variant_id: catalog.variantId, quantity: 1, metadata: { engraving: "A" } }, headers)
        expect(item.status).toBe(200)
      }
    })
  })

  describe("attack (a): a guest with no login writes the marker", () => {
    it("is refused, and a marker in the cart's metadata attributes nothing: no order_placed line naming the admin", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const catalog = await setupCatalog(container, store.publishableKey)
      // A real session exists (the admin assisted jane), so a marker naming it looks genuine.
      const { session } = await impersonate(api as never, store)

      const cartId = await prepareCart(api, guest(store), catalog)
      await api.post(`/store/carts/${cartId}`, { email: "guest@example.com" }, guest(store))
      const forged = { login_as_customer: { session_id: session.id, user_id: store.admin.id } }
      const write = await refusal(api.post(`/store/carts/${cartId}`, { metadata: forged }, guest(store)))
      expect({ status: write.status, code: write.data.code }).toEqual({ status: 400, code: "invalid_data" })

      // Even a marker that got into the metadata some other way is not evidence.
      await markInMetadata(cartId, { session_id: session.id, user_id: store.admin.id, marked_at: new Date().toISOString() })
      const orderId = await complete(cartId, guest(store))
      await expectNotAttributed(orderId)
      expect(await logRows(container, "order_placed", { session_id: session.id })).toEqual([])
    })
  })

  describe("attack (b): a customer names a past session of a since-deleted admin", () => {
    it("is refused, and the order stays the customer's own", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const catalog = await setupCatalog(container, store.publishableKey)
      const dora = await createAdmin(api as never, container, "dora@example.com", { first_name: "Dora", last_name: "Departed" })
      const past = await impersonate(api as never, { ...store, admin: dora })
      await api.delete("/store/login-as-customer/session", past.headers)
      await api.delete(`/admin/users/${dora.id}`, store.admin.headers)
      expect(await container.resolve(Modules.USER).listUsers({ id: dora.id })).toEqual([])

      const cartId = await prepareCart(api, store.jane.headers, catalog)
      const forged = { login_as_customer: { session_id: past.session.id, user_id: dora.id } }
      const write = await refusal(api.post(`/store/carts/${cartId}`, { metadata: forged }, store.jane.headers))
      expect({ status: write.status, code: write.data.code }).toEqual({ status: 400, code: "invalid_data" })

      await markInMetadata(cartId, { session_id: past.session.id, user_id: dora.id, marked_at: new Date().toISOString() })
      const orderId = await complete(cartId, store.jane.headers)
      expect((await orderOf(orderId)).customer_id).toBe(store.jane.id)
      await expectNotAttributed(orderId)
      expect(await logRows(container, "order_placed", { session_id: past.session.id })).toEqual([])
    })
  })

  describe("attack (c): the impersonating admin strips or changes the marker, the customer completes", () => {
    it("the order is still attributed to the session that changed the cart", async () => {
      const { container, store, catalog, headers, session } = await oneSession()

      const cartId = await prepareCart(api, headers, catalog)
      // Stripping the key (Medusa merges metadata; "" removes a key) or changing it: refused.
      for (const value of ["", { session_id: "lacs_01JZZZZZZZZZZZZZZZZZZZZZZZ", user_id: "user_x" }]) {
        const attempt = await refusal(api.post(`/store/carts/${cartId}`, { metadata: { login_as_customer: value } }, headers))
        expect({ status: attempt.status, code: attempt.data.code }).toEqual({ status: 400, code: "invalid_data" })
      }
      await api.delete("/store/login-as-customer/session", headers)

      // Jane completes it later with her own login, without the session's token.
      const orderId = await complete(cartId, store.jane.headers)
      const order = await attributed(orderId)
      expect(order?.metadata?.login_as_customer).toMatchObject({
        session_id: session.id,
        user_id: store.admin.id,
        admin_name: "Ada Admin",
        note: "Placed by Ada Admin via Login as Customer",
      })
      const lines = await eventually(async () => ((await orderLines(orderId)).length ? orderLines(orderId) : null))
      expect(lines).toHaveLength(1)
      expect(lines![0]).toMatchObject({ session_id: session.id, user_id: store.admin.id, customer_id: store.jane.id })
    })
  })

  describe("the cart → session record", () => {
    it("is written only for a live session of the cart's customer, once, and never into the cart's metadata", async () => {
      const { container, store, catalog, headers, session } = await oneSession()
      const mark = (cart_id: string, session_id = session.id, user_id = store.admin.id) =>
        markCartForSessionWorkflow(container).run({ input: { cart_id, session_id, user_id } })

      const janesCart = await prepareCart(api, store.jane.headers, catalog)
      const johnsCart = await prepareCart(api, store.john.headers, catalog)
      const guestCart = await prepareCart(api, guest(store), catalog)

      // Another customer's cart, a guest cart, a wrong admin, an unknown session: nothing.
      for (const [cart, sessionId, userId] of [
        [johnsCart, session.id, store.admin.id],
        [guestCart, session.id, store.admin.id],
        [janesCart, session.id, "user_01JZZZZZZZZZZZZZZZZZZZZZZZ"],
        [janesCart, "lacs_01JZZZZZZZZZZZZZZZZZZZZZZZ", store.admin.id],
      ]) {
        const { result } = await mark(cart, sessionId, userId)
        expect(result).toBe(false)
      }
      expect(await sessionCarts({ session_id: session.id })).toEqual([])

      // Jane's cart, live session: one row, however often it is marked.
      expect((await mark(janesCart)).result).toBe(true)
      expect((await mark(janesCart)).result).toBe(false)
      await Promise.all([mark(janesCart), mark(janesCart), mark(janesCart)])
      const rows = await sessionCarts({ cart_id: janesCart })
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ session_id: session.id, customer_id: store.jane.id, user_id: store.admin.id })
      const [cart] = await container.resolve(Modules.CART).listCarts({ id: janesCart }, { select: ["id", "metadata"] })
      expect(cart.metadata?.login_as_customer).toBeUndefined()

      // Once the session ended, nothing more is recorded.
      const janesSecond = await prepareCart(api, store.jane.headers, catalog)
      await api.delete("/store/login-as-customer/session", headers)
      expect((await mark(janesSecond)).result).toBe(false)
      expect(await sessionCarts({ cart_id: janesSecond })).toEqual([])
    })

    it("attributes only when the order's customer is the session's and the record falls within the session", async () => {
      const { container, store, catalog, headers, session } = await oneSession()
      const record = (cart_id: string, customer_id: string) =>
        lacService(container).createLoginAsCustomerSessionCarts({ session_id: session.id, cart_id, customer_id, user_id: store.admin.id })

      // A record naming jane's session on john's cart (however it got there): not john's session.
      const johnsCart = await prepareCart(api, store.john.headers, catalog)
      await record(johnsCart, store.jane.id)
      await expectNotAttributed(await complete(johnsCart, store.john.headers))

      // A record written after the session ended: not changed during the session.
      const janesCart = await prepareCart(api, store.jane.headers, catalog)
      await api.delete("/store/login-as-customer/session", headers)
      await eventually(async () => (await lacService(container).listLoginAsCustomerSessions({ id: session.id }))[0]?.ended_at)
      await record(janesCart, store.jane.id)
      await expectNotAttributed(await complete(janesCart, store.jane.headers))
    })

    it("does not attribute an order by a record written by SQL, dated within a session that never changed the cart (its one request on it refused with 400)", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const catalog = await setupCatalog(container, store.publishableKey)
      const janesCart = await prepareCart(api, store.jane.headers, catalog)
      const { headers, session } = await impersonate(api as never, store)
      const refusedAdd = await refusal(api.post(`/store/carts/${janesCart}/line-items`, { variant_id: "variant_NOPE", quantity: 1 }, headers))
      expect(refusedAdd.status).toBe(400)
      await api.delete("/store/login-as-customer/session", headers)
      // (The guard's own record of the refused request stays: a record counts only beside a success.)
      await container.resolve(ContainerRegistrationKeys.PG_CONNECTION).raw(
        `insert into "login_as_customer_session_cart" ("id", "session_id", "cart_id", "customer_id", "user_id", "created_at", "updated_at")
         select 'lacsc_BY_SQL', "id", ?, "customer_id", "user_id", "started_at" + interval '1 millisecond', now()
           from "login_as_customer_session" where "id" = ?
         on conflict ("cart_id", "session_id") where "deleted_at" is null do nothing`,
        [janesCart, session.id]
      )
      await expectNotAttributed(await complete(janesCart, store.jane.headers))
    })

    it("attributes a cart changed in two sessions to the later one", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const catalog = await setupCatalog(container, store.publishableKey)
      const bea = await createAdmin(api as never, container, "bea@example.com", { first_name: "Bea", last_name: "Second" })
      const first = await impersonate(api as never, store)
      const cartId = await prepareCart(api, first.headers, catalog)
      const second = await impersonate(api as never, { ...store, admin: bea })
      await api.post(`/store/carts/${cartId}`, { metadata: { gift_wrap: "yes" } }, second.headers)
      expect((await sessionCarts({ cart_id: cartId })).map((row) => row.session_id).sort()).toEqual([first.session.id, second.session.id].sort())

      const orderId = await complete(cartId, store.jane.headers)
      const order = await attributed(orderId)
      expect(order?.metadata?.login_as_customer).toMatchObject({ session_id: second.session.id, user_id: bea.id, admin_name: "Bea Second" })
      expect(order?.metadata?.gift_wrap).toBe("yes")
    })
  })

  /** Runs `run` while a trigger (the database's owner's) re-points the link of an order from cart `from` at cart `to`. */
  const withLinkRepointed = async (from: string, to: string, run: () => Promise<unknown>) => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    await knex.raw(`create function lac_test_relink() returns trigger language plpgsql as $$
      begin if new."cart_id" = '${from}' then new."cart_id" := '${to}'; end if; return new; end $$`)
    await knex.raw(`create trigger "zz_relink" before insert on "order_cart" for each row execute function lac_test_relink()`)
    try {
      await run()
    } finally {
      await knex.raw(`drop trigger if exists "zz_relink" on "order_cart"`)
      await knex.raw(`drop function if exists lac_test_relink()`)
    }
  }

  /** Jane completes her own cart while the order's link to it is re-pointed at `linkedTo`: the order is not attributed. */
  const expectRelinkedOrderNotAttributed = async (store: Store, catalog: Awaited<ReturnType<typeof setupCatalog>>, linkedTo: string) => {
    const own = await prepareCart(api, store.jane.headers, catalog)
    await withLinkRepointed(own, linkedTo, async () => expectNotAttributed(await complete(own, store.jane.headers)))
  }

  it("does not attribute an order whose link to its cart SQL re-pointed at a cart the admin changed that nobody completed", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const { headers } = await impersonate(api as never, store)
    const changed = await prepareCart(api, headers, catalog)
    await api.delete("/store/login-as-customer/session", headers)
    await expectRelinkedOrderNotAttributed(store, catalog, changed)
  })

  it("does not attribute an order whose link to its cart SQL re-pointed at a cart the session completed: a cart becomes one order", async () => {
    const { container, store, catalog, headers, session } = await oneSession()
    const placedInSession = await prepareCart(api, headers, catalog)
    const first = await complete(placedInSession, headers)
    expect((await attributed(first))?.metadata?.login_as_customer).toMatchObject({ session_id: session.id })
    await api.delete("/store/login-as-customer/session", headers)
    await expectRelinkedOrderNotAttributed(store, catalog, placedInSession)
    expect(await orderLines(first)).toHaveLength(1)
  })

  it("does not attribute an order whose link SQL re-pointed at a cart the session completed into an order whose own link SQL re-pointed elsewhere", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const decoy = await prepareCart(api, store.jane.headers, catalog)
    await complete(decoy, store.jane.headers)
    const { headers } = await impersonate(api as never, store)
    const inSession = await prepareCart(api, headers, catalog)
    // The session's order is linked to the decoy (so the log never holds its order_placed line).
    await withLinkRepointed(inSession, decoy, () => complete(inSession, headers))
    await api.delete("/store/login-as-customer/session", headers)
    // Her own later order is linked to the session's cart: its completion's line named another order.
    await expectRelinkedOrderNotAttributed(store, catalog, inSession)
  })

  it("attributes an order by the session's own lines on the cart, whatever SQL made its record of the cart say (its time, admin or customer)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    for (const change of [`"created_at" = '2000-01-01'`, `"user_id" = 'user_nobody'`, `"customer_id" = 'cus_nobody'`]) {
      const { headers, session } = await impersonate(api as never, store)
      const cartId = await prepareCart(api, headers, catalog)
      await knex.raw(`update "login_as_customer_session_cart" set ${change} where "cart_id" = ?`, [cartId])
      const orderId = await complete(cartId, headers)
      expect({ change, entry: (await attributed(orderId))?.metadata?.login_as_customer }).toMatchObject({
        change,
        entry: { session_id: session.id, user_id: store.admin.id },
      })
      expect((await orderLines(orderId)).map((line) => line.session_id)).toEqual([session.id])
    }
  })
}
