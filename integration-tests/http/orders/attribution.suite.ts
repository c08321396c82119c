import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import type { SuiteContext } from "../../helpers/suite"
import { prepareCart, setupCatalog } from "../../helpers/checkout"
import { impersonate, setupStore } from "../../helpers/fixtures"
import { createAdmin, eventually } from "../../helpers/seed"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"

export default function attributionSuite({ api, getContainer }: SuiteContext) {
  /** The order's `login_as_customer` metadata entry, if any. */
  const orderEntry = async (orderId: string) => {
    const [order] = await getContainer().resolve(Modules.ORDER).listOrders({ id: orderId }, { select: ["id", "metadata"] })
    return (order.metadata as any)?.login_as_customer
  }
  /** A store with a catalog, and a session of Ada's and one of Eve's on Jane. */
  const twoAdminSessions = async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const eve = await createAdmin(api as never, container, "eve@example.com", { first_name: "Eve", last_name: "Second" })
    const ada = await impersonate(api as never, store)
    const eves = await impersonate(api as never, { ...store, admin: eve })
    return { container, store, catalog, ada, eves }
  }
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  /** Runs `send` while the database's owner holds `table` locked; returns what it returned (requests still in flight). */
  const whileLocked = async <T>(container: ReturnType<typeof getContainer>, table: string, send: () => Promise<T>): Promise<T> => {
    let sent!: T
    await container.resolve(ContainerRegistrationKeys.PG_CONNECTION).transaction(async (trx: any) => {
      await trx.raw(`lock table "${table}" in access exclusive mode`)
      sent = await send()
    })
    return sent
  }
  /** The session's lines of cart completions (its path's, whatever route answered it). */
  const completionLines = async (sessionId: string) => {
    const lines = await (getContainer().resolve(LOGIN_AS_CUSTOMER_MODULE) as any).listLoginAsCustomerLogEntries({
      action: "store_action",
      session_id: sessionId,
    })
    return lines.filter((line: any) => String(line.details?.path).endsWith("/complete"))
  }
  const orderLogRows = async (orderId: string) => {
    const rows = await (getContainer().resolve(LOGIN_AS_CUSTOMER_MODULE) as any).listLoginAsCustomerLogEntries({
      action: "order_placed",
    })
    return rows.filter((row: any) => row.details?.order_id === orderId)
  }

  it("attributes an order completed in the impersonated storefront", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const { headers, session } = await impersonate(api as never, store)

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
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const { headers, session } = await impersonate(api as never, store)
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

  it("attributes an order to the session completing it when the log's table is locked past the subscriber's wait: the completing request decides", async () => {
    const { container, store, catalog, ada, eves } = await twoAdminSessions()
    const cartId = await prepareCart(api, ada.headers, catalog)
    await api.post(`/store/carts/${cartId}`, { metadata: { touched_by: "eve" } }, eves.headers)
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const completing = api.post(`/store/carts/${cartId}/complete`, {}, ada.headers)
    // The database's owner locks the log as soon as the completion's note is there, for 12 s.
    await eventually(async () => (await knex.raw(`select 1 from "login_as_customer_cart_completion" where "cart_id" = ?`, [cartId])).rows.length > 0, { interval: 5 })
    await knex.transaction(async (trx: any) => {
      await trx.raw(`lock table "login_as_customer_log_entry" in exclusive mode`)
      await new Promise((resolve) => setTimeout(resolve, 12_000))
    })
    const orderId = (await completing).data.order.id
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect((await orderLogRows(orderId)).map((row: any) => row.session_id)).toEqual([ada.session.id])
    expect(await orderEntry(orderId)).toMatchObject({ session_id: ada.session.id, user_id: store.admin.id })
  })

  it("attributes an order of a cart changed in a session that another completion created while the session's own completion waited its turn, held up past the subscriber's wait and answered without the order (400)", async () => {
    const { container, store, catalog, ada } = await twoAdminSessions()
    const cartId = await prepareCart(api, ada.headers, catalog)
    const guest = { headers: { "x-publishable-api-key": store.publishableKey } }
    let logLocked: Promise<unknown> = Promise.resolve()
    const [guests, adas] = await Promise.all(
      await whileLocked(container, "order", async () => {
        const guests = api.post(`/store/carts/${cartId}/complete`, {}, guest)
        await sleep(500)
        // Medusa refuses the query parameter (400), once the completion's turn comes, after the guest's.
        const adas = api.post(`/store/carts/${cartId}/complete?foo=bar`, {}, { ...ada.headers, validateStatus: () => true })
        await sleep(1000)
        // The database's owner holds the log for 14 s: Ada's line waits past the subscriber's 10 s.
        logLocked = whileLocked(container, "login_as_customer_log_entry", () => sleep(14_000))
        await sleep(200)
        return [guests, adas]
      })
    )
    await logLocked
    const orderId = guests.data.order.id
    expect(adas.status).toBe(400)
    await eventually(async () => (await orderLogRows(orderId)).length > 0, { timeout: 10_000 })
    expect((await orderLogRows(orderId)).map((row: any) => row.session_id)).toEqual([ada.session.id])
    expect(await orderEntry(orderId)).toMatchObject({ session_id: ada.session.id, user_id: store.admin.id })
  })

  it("attributes an order to the session whose completion made it when another session that changed the cart sent a completion right behind it, answered 400 before the first one's line was in", async () => {
    const { container, store, catalog, ada, eves } = await twoAdminSessions()
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const cartId = await prepareCart(api, eves.headers, catalog)
    // The database's owner holds Ada's completion's line back 3 s (a trigger sleeping on its insert).
    await knex.raw(`create function lac_hold_line() returns trigger language plpgsql as $$ begin perform pg_sleep(3); return new; end $$`)
    await knex.raw(
      `create trigger lac_hold_line before insert on "login_as_customer_log_entry" for each row
        when (new."session_id" = '${ada.session.id}' and new."details"->>'route' = '/store/carts/:id/complete') execute function lac_hold_line()`
    )
    try {
      const adas = api.post(`/store/carts/${cartId}/complete`, {}, ada.headers)
      await sleep(50)
      const eves400 = await api.post(`/store/carts/${cartId}/complete?foo=bar`, {}, { ...eves.headers, validateStatus: () => true })
      expect(eves400.status).toBe(400)
      const orderId = (await adas).data.order.id
      await sleep(1000)
      expect((await orderLogRows(orderId)).map((row: any) => row.session_id)).toEqual([ada.session.id])
      expect(await orderEntry(orderId)).toMatchObject({ session_id: ada.session.id, user_id: store.admin.id })
    } finally {
      await knex.raw(`drop trigger lac_hold_line on "login_as_customer_log_entry"; drop function lac_hold_line()`)
    }
  })

  it("attributes an order completed in a session whose request on the cart named a made-up order id in its path (Medusa answers 200 and changes nothing)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const catalog = await setupCatalog(container, store.publishableKey)
    const { headers, session } = await impersonate(api as never, store)
    const cartId = await prepareCart(api, headers, catalog)
    const madeUp = await api.delete(`/store/carts/${cartId}/line-items/order_01ABCDEFGHJKMNPQRSTVWXYZ0`, { ...headers, validateStatus: () => true })
    expect(madeUp.status).toBeLessThan(300)
    const orderId = (await api.post(`/store/carts/${cartId}/complete`, {}, headers)).data.order.id
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect((await orderLogRows(orderId)).map((row: any) => row.session_id)).toEqual([session.id])
    expect(await orderEntry(orderId)).toMatchObject({ session_id: session.id, user_id: store.admin.id })
  })

  it("leaves her order hers when a session completes her cart while her own completion of it runs (held up seconds by a lock on Medusa's order table): Medusa answers both with her order", async () => {
    const { container, store, catalog, ada } = await twoAdminSessions()
    const cartId = await prepareCart(api, store.jane.headers, catalog)
    const [hers, adas] = await Promise.all(
      await whileLocked(container, "order", async () => {
        const hers = api.post(`/store/carts/${cartId}/complete`, {}, store.jane.headers)
        await sleep(1500)
        const adas = api.post(`/store/carts/${cartId}/complete`, {}, ada.headers)
        await sleep(1500)
        return [hers, adas]
      })
    )
    const orderId = hers.data.order.id
    expect(adas.data.order.id).toBe(orderId)
    await sleep(1000)
    expect(await orderLogRows(orderId)).toHaveLength(0)
    expect(await orderEntry(orderId)).toBeUndefined()
    // Ada's completion is on record, answered with her order, which it didn't create.
    expect((await completionLines(ada.session.id)).map((line: any) => line.details)).toEqual([
      expect.objectContaining({ status: 200, order_id: orderId, order_created: false }),
    ])
  })

  it("attributes an order to the session whose completion created it, though the customer's own completion of the cart was sent while it ran", async () => {
    const { container, store, catalog, ada } = await twoAdminSessions()
    const cartId = await prepareCart(api, store.jane.headers, catalog)
    const [adas, hers] = await Promise.all(
      await whileLocked(container, "order", async () => {
        const adas = api.post(`/store/carts/${cartId}/complete`, {}, ada.headers)
        await sleep(1500)
        const hers = api.post(`/store/carts/${cartId}/complete`, {}, store.jane.headers)
        await sleep(1500)
        return [adas, hers]
      })
    )
    const orderId = adas.data.order.id
    expect(hers.data.order.id).toBe(orderId)
    await sleep(1000)
    expect((await orderLogRows(orderId)).map((row: any) => row.session_id)).toEqual([ada.session.id])
    expect(await orderEntry(orderId)).toMatchObject({ session_id: ada.session.id, user_id: store.admin.id })
  })

  it("attributes an order to the session only when its completion created it, though another request held the cart as it was sent and the customer's completion came just after: one completion of a cart runs at a time, in the order they came", async () => {
    const { container, store, catalog, ada } = await twoAdminSessions()
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const guest = { headers: { "x-publishable-api-key": store.publishableKey }, validateStatus: () => true }
    for (let round = 0; round < 3; round++) {
      const cartId = await prepareCart(api, store.jane.headers, catalog)
      // A guest's request for a promotion on the cart holds Medusa's lock of it, the promotions being locked.
      const [adas, hers] = await Promise.all(
        await whileLocked(container, "promotion", async () => {
          const holding = api.post(`/store/carts/${cartId}/promotions`, { promo_codes: ["NOPE"] }, guest)
          await sleep(300)
          const adas = api.post(`/store/carts/${cartId}/complete`, {}, ada.headers)
          await sleep(700)
          return [adas, holding.then(() => api.post(`/store/carts/${cartId}/complete`, {}, store.jane.headers))]
        })
      )
      const orderId = adas.data.order.id
      expect(hers.data.order.id).toBe(orderId)
      await sleep(1000)
      // Which of the two completions' workflows created the order (Medusa keeps its executions): the first started is Ada's.
      const { rows: runs } = await knex.raw(
        `select w."created_at", bool_or(s.key ~ '\\.create-orders$' and s.value->'invoke'->>'state' = 'done') as "created"
           from "workflow_execution" w, jsonb_each(w."execution"->'steps') s
          where w."workflow_id" = 'complete-cart' and w."context"::text like ? group by w."id", w."created_at" order by w."created_at"`,
        [`%${cartId}%`]
      )
      expect(runs.map((run: any) => run.created)).toEqual([true, false])
      expect((await orderLogRows(orderId)).map((row: any) => row.session_id)).toEqual([ada.session.id])
    }
  })

  it("answers a session's completion it can't note 503 with a message, on record, and runs none; the customer's own checkout goes on", async () => {
    const { container, store, catalog, ada } = await twoAdminSessions()
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const cartId = await prepareCart(api, ada.headers, catalog)
    await knex.raw(`alter table "login_as_customer_cart_completion" rename to "lac_cart_completion_away"`)
    try {
      const refused = await api.post(`/store/carts/${cartId}/complete`, {}, { ...ada.headers, validateStatus: () => true })
      expect(refused.status).toBe(503)
      expect(refused.data).toMatchObject({ code: "log_unavailable", message: expect.stringContaining("not run") })
      expect((await api.get(`/store/carts/${cartId}`, ada.headers)).data.cart.completed_at).toBeNull()
      expect((await completionLines(ada.session.id)).map((line: any) => line.details.status)).toEqual([503])
      const hers = await prepareCart(api, store.jane.headers, catalog)
      expect((await api.post(`/store/carts/${hers}/complete`, {}, store.jane.headers)).data.type).toBe("order")
    } finally {
      await knex.raw(`alter table "lac_cart_completion_away" rename to "login_as_customer_cart_completion"`)
    }
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
