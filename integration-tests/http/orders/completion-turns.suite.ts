import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { prepareCart } from "../../helpers/checkout"
import { eventually } from "../../helpers/seed"
import { orderHelpers } from "./helpers"

/**
 * Completions of a cart sent around each other (a session's, the
 * customer's, a guest's), held up by the database's owner: the order is the
 * session's only when its own completion made it, or when the session
 * changed the cart.
 */
export default function completionTurnsSuite({ api, getContainer }: SuiteContext) {
  const { orderEntry, twoAdminSessions, sleep, whileLocked, completionLines, orderLogRows } = orderHelpers({ api, getContainer })

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
      await whileLocked("order", async () => {
        const guests = api.post(`/store/carts/${cartId}/complete`, {}, guest)
        await sleep(500)
        // Medusa refuses the query parameter (400), once the completion's turn comes, after the guest's.
        const adas = api.post(`/store/carts/${cartId}/complete?foo=bar`, {}, { ...ada.headers, validateStatus: () => true })
        await sleep(1000)
        // The database's owner holds the log for 14 s: Ada's line waits past the subscriber's 10 s.
        logLocked = whileLocked("login_as_customer_log_entry", () => sleep(14_000))
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

  it("leaves her order hers when a session completes her cart while her own completion of it runs (held up seconds by a lock on Medusa's order table): Medusa answers both with her order", async () => {
    const { container, store, catalog, ada } = await twoAdminSessions()
    const cartId = await prepareCart(api, store.jane.headers, catalog)
    const [hers, adas] = await Promise.all(
      await whileLocked("order", async () => {
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
      await whileLocked("order", async () => {
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
        await whileLocked("promotion", async () => {
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
}
