import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { lacService, logRows, refusal, saveSettings, settledLogRows, setupStore } from "../../helpers/fixtures"
import { eventually } from "../../helpers/seed"
import { guardFixtures } from "./guard-helpers"

const ADDRESS = {
  first_name: "Jane",
  last_name: "Doe",
  address_1: "1 Main St",
  city: "Berlin",
  country_code: "de",
  postal_code: "10115",
}

/** The store guard during a live session: caching, restricted actions, store_action events, read-only sessions, no cookie or refreshed token. */
export default function guardSuite(context: SuiteContext) {
  const { api, getContainer } = context
  const { me, expectCode, expectEnded, liveImpersonation } = guardFixtures(context)

  it("leaves jane's own requests alone; impersonated responses are marked no-store", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)

    const own = await me(store.jane.headers)
    expect(own.status).toBe(200)
    expect(String(own.headers["cache-control"] ?? "")).not.toMatch(/no-store/)
    const none = await api.get("/store/login-as-customer/session", store.jane.headers)
    expect(none.data).toEqual({ session: null })
    // Jane changing her own profile is her business: allowed, and not logged.
    const renamed = await api.post("/store/customers/me", { first_name: "Janie" }, store.jane.headers)
    expect(renamed.data.customer.first_name).toBe("Janie")
    // Ending "the impersonation" with her own token: she is not impersonated.
    await expectCode(api.delete("/store/login-as-customer/session", store.jane.headers), 400, "not_impersonating")

    const imp = await liveImpersonation(store)
    const impersonated = await me(imp.headers)
    expect(impersonated.headers["cache-control"]).toMatch(/no-store/)
    const current = await api.get("/store/login-as-customer/session", imp.headers)
    expect(current.headers["cache-control"]).toMatch(/no-store/)
    expect(current.data.session).toMatchObject({ id: imp.session.id, customer: { id: store.jane.id } })

    // Still nothing for jane herself, while her account is being assisted.
    const ownAgain = await me(store.jane.headers)
    expect(String(ownAgain.headers["cache-control"] ?? "")).not.toMatch(/no-store/)
    expect((await api.get("/store/login-as-customer/session", store.jane.headers)).data).toEqual({ session: null })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await logRows(container, "store_action")).toHaveLength(0)
  })

  it("does not mark impersonated responses no-store when disable_page_cache is off", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container, { disable_page_cache: false })
    const imp = await liveImpersonation(store)
    const response = await me(imp.headers)
    expect(String(response.headers["cache-control"] ?? "")).not.toMatch(/no-store/)

    await saveSettings(api as never, store, { disable_page_cache: true })
    expect((await me(imp.headers)).headers["cache-control"]).toMatch(/no-store/)
  })

  it("refuses restricted actions with 403 restricted_while_impersonating and logs the refusals; allowed changes go through and are logged", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)

    await expectCode(
      api.post("/store/customers/me", { email: "evil@example.com" }, imp.headers),
      403,
      "restricted_while_impersonating"
    )
    await expectCode(
      api.post("/store/customers/me/remote-assistance", { allowed: false }, imp.headers),
      403,
      "restricted_while_impersonating"
    )
    await expectCode(
      api.post("/store/customers/me/remote-assistance", { allowed: true, expires_at: null }, imp.headers),
      403,
      "restricted_while_impersonating"
    )
    const [jane] = await container.resolve(Modules.CUSTOMER).listCustomers({ id: store.jane.id })
    expect(jane.email).toBe("jane@example.com")
    expect((await lacService(container).getRemoteAssistance(store.jane.id)).allowed).toBe(true)

    // update_profile is not restricted by default: the change applies to jane's account.
    const sdk = store.storefront()
    await sdk.client.setToken(imp.token)
    const { customer } = await sdk.store.customer.update({ first_name: "Janet" })
    expect(customer.first_name).toBe("Janet")
    expect((await me(store.jane.headers)).data.customer.first_name).toBe("Janet")

    const actions = await settledLogRows(container, "store_action", { session_id: imp.session.id }, { count: 4 })
    const summary = actions.map((row) => ({
      method: row.details.method,
      path: row.details.path,
      status: row.details.status,
      outcome: row.details.outcome,
      code: row.details.code ?? null,
    }))
    expect(summary).toEqual(
      expect.arrayContaining([
        { method: "POST", path: "/store/customers/me", status: 403, outcome: "refused", code: "restricted_while_impersonating" },
        { method: "POST", path: "/store/customers/me/remote-assistance", status: 403, outcome: "refused", code: "restricted_while_impersonating" },
        { method: "POST", path: "/store/customers/me", status: 200, outcome: "allowed", code: null },
      ])
    )
    expect(actions).toHaveLength(4)
    const allowed = actions.find((row) => row.details.status === 200)
    expect(allowed).toMatchObject({ user_id: store.admin.id, customer_id: store.jane.id, actor_id: store.admin.id })
    expect(allowed.details.resource_ids).toContain(store.jane.id)

    // With update_profile restricted, the same change is refused.
    const settings = await saveSettings(api as never, store, {
      restricted_actions: ["change_email", "change_password", "change_remote_assistance", "manage_auth_identities", "update_profile"],
    })
    expect(settings.restricted_actions).toContain("update_profile")
    await expectCode(
      api.post("/store/customers/me", { first_name: "Mallory" }, imp.headers),
      403,
      "restricted_while_impersonating"
    )
    expect((await me(store.jane.headers)).data.customer.first_name).toBe("Janet")
    // The session survives a refusal.
    expect((await me(imp.headers)).status).toBe(200)
  })


  it("emits login_as_customer.store_action for an action once its log line is written", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    const received: Array<{ session_id: string; event_id: string; status: number }> = []
    container.resolve(Modules.EVENT_BUS).subscribe("login_as_customer.store_action", async (event: any) => {
      received.push(event.data)
    })

    await api.post("/store/customers/me", { first_name: "Janet" }, imp.headers)
    const lines = await settledLogRows(container, "store_action", { session_id: imp.session.id }, { count: 1 })
    expect(lines).toHaveLength(1)
    const mine = () => received.filter((data) => data.session_id === imp.session.id)
    await eventually(async () => mine().length > 0)
    expect(mine()).toEqual([expect.objectContaining({ status: 200, outcome: "allowed", path: "/store/customers/me" })])
  })
  it("logs a store action's path with a parameter that is no id as the parameter's name, so text put in the address isn't kept", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    const answer = await api.post("/store/customers/me/addresses/PRIVATE%20TEXT%20jane@x.com", {}, imp.headers).catch((error: any) => error.response)
    expect(answer.status).toBeGreaterThanOrEqual(400)
    const [line] = await settledLogRows(container, "store_action", { session_id: imp.session.id }, { count: 1 })
    expect(line.details).toMatchObject({ method: "POST", path: "/store/customers/me/addresses/:address_id", route: "/store/customers/me/addresses/:address_id" })
    expect(JSON.stringify(line)).not.toMatch(/PRIVATE/)
  })

  it("ends the use of a read-only session's token when its row is made full in the database: the token carries the mode it was exchanged for", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store, { mode: "read_only" })
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    await knex.raw(`update "login_as_customer_session" set "mode" = 'full' where "id" = ?`, [imp.session.id])
    await expectCode(api.post("/store/customers/me/addresses", ADDRESS, imp.headers), 401, "impersonation_ended")
    expect((await api.get("/store/customers/me/addresses", store.jane.headers)).data.addresses).toEqual([])
  })

  it("refuses a session's token once its row's reason is changed in the database, so no store action's line records another reason; an erased reason lets it go on", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store, { reason: "T-100" })
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const setReason = (reason: string | null) =>
      knex.raw(`update "login_as_customer_session" set "reason" = ? where "id" = ?`, [reason, imp.session.id])
    await setReason("T-999 something else")
    await expectCode(api.post("/store/customers/me/addresses", ADDRESS, imp.headers), 401, "impersonation_ended")
    expect(await logRows(container, "store_action", { session_id: imp.session.id })).toEqual([])
    // Erasure nulls a session's reason: the session goes on, its lines record none.
    await setReason(null)
    expect((await api.post("/store/customers/me/addresses", ADDRESS, imp.headers)).status).toBe(200)
    const [line] = await settledLogRows(container, "store_action", { session_id: imp.session.id }, { count: 1 })
    expect(line.details.reason ?? null).toBeNull()
  })

  it("dates an end held back by a lock on the session's row when it took effect, after the store actions the session served meanwhile", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const lock = await knex.transaction()
    let endedAt: string
    try {
      await lock.raw(`select 1 from "login_as_customer_session" where "id" = ? for update`, [imp.session.id])
      const ending = api.post(`/admin/login-as-customer/sessions/${imp.session.id}/end`, {}, store.admin.headers)
      // The end waits on the lock; the session still serves the store meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 1500))
      expect((await api.post("/store/customers/me/addresses", ADDRESS, imp.headers)).status).toBe(200)
      await lock.commit()
      expect((await ending).status).toBe(200)
      const [ended] = await settledLogRows(container, "session_ended", { session_id: imp.session.id }, { count: 1 })
      endedAt = ended.details.ended_at
    } finally {
      await lock.rollback().catch(() => undefined)
    }
    const [action] = await settledLogRows(container, "store_action", { session_id: imp.session.id }, { count: 1 })
    expect(new Date(endedAt!).getTime()).toBeGreaterThanOrEqual(new Date(action.created_at).getTime())
  })

  it("refuses every mutating request of a read-only session (403 read_only_session); reads and ending still work", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const region = await container.resolve(Modules.REGION).createRegions({ name: "Europe", currency_code: "eur" })
    const imp = await liveImpersonation(store, { mode: "read_only" })

    await expectCode(api.post("/store/carts", { region_id: region.id }, imp.headers), 403, "read_only_session")
    await expectCode(api.post("/store/customers/me", { first_name: "Janet" }, imp.headers), 403, "read_only_session")
    await expectCode(api.post("/store/customers/me/addresses", ADDRESS, imp.headers), 403, "read_only_session")

    // Reads work.
    expect((await me(imp.headers)).data.customer.first_name).toBe("Jane")
    expect((await api.get("/store/customers/me/addresses", imp.headers)).data.addresses).toEqual([])
    expect((await api.get("/store/regions", imp.headers)).data.regions.map((r: any) => r.id)).toEqual([region.id])
    const current = await api.get("/store/login-as-customer/session", imp.headers)
    expect(current.data.session).toMatchObject({ id: imp.session.id, mode: "read_only" })

    // Nothing changed on jane's account.
    expect(await container.resolve(Modules.CART).listCarts({ customer_id: store.jane.id })).toHaveLength(0)
    const janeNow = await me(store.jane.headers)
    expect(janeNow.data.customer.first_name).toBe("Jane")
    expect((await api.get("/store/customers/me/addresses", store.jane.headers)).data.addresses).toEqual([])

    // The same requests work in a full session.
    const ended = await api.delete("/store/login-as-customer/session", imp.headers)
    expect(ended.data.session).toMatchObject({ id: imp.session.id, end_reason: "logout" })
    await expectEnded(container, store, imp, "logout")
    const full = await liveImpersonation(store)
    expect((await api.post("/store/carts", { region_id: region.id }, full.headers)).data.cart.customer_id).toBe(store.jane.id)
    expect((await api.post("/store/customers/me/addresses", ADDRESS, full.headers)).status).toBe(200)

    const refused = await logRows(container, "store_action", { session_id: imp.session.id })
    expect(refused.map((row) => row.details.code)).toEqual(Array(3).fill("read_only_session"))
  })

  it("refuses turning the impersonation token into a cookie session or refreshing it (jane's own token may)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    const bearer = { headers: { authorization: `Bearer ${imp.token}` } }

    const cookie = await expectCode(api.post("/auth/session", {}, bearer), 403, "restricted_while_impersonating")
    expect(cookie.headers["set-cookie"]).toBeUndefined()
    const refresh = await refusal(api.post("/auth/token/refresh", {}, bearer))
    expect(refresh.status).toBeGreaterThanOrEqual(400)
    expect(refresh.status).toBeLessThan(500)
    expect(refresh.data.token).toBeUndefined()

    // The very same routes work for jane's own login.
    const ownCookie = await api.post("/auth/session", {}, { headers: { authorization: `Bearer ${store.jane.token}` } })
    expect(ownCookie.status).toBe(200)
    expect(String(ownCookie.headers["set-cookie"])).toMatch(/connect\.sid=/)
    const ownRefresh = await api.post("/auth/token/refresh", {}, { headers: { authorization: `Bearer ${store.jane.token}` } })
    expect(typeof ownRefresh.data.token).toBe("string")
  })

}
