import { ContainerRegistrationKeys, generateJwtToken, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { SuiteContext } from "../../helpers/suite"
import {
  impersonate,
  jwtPayload,
  lacService,
  logRows,
  refusal,
  saveSettings,
  settledLogRows,
  setupStore,
  Store,
  storeHeaders,
} from "../../helpers/fixtures"
import { createAdmin, eventually } from "../../helpers/seed"
import expireLoginAsCustomerSessions from "../../../src/jobs/expire-login-as-customer-sessions"

type Impersonation = Awaited<ReturnType<typeof impersonate>>

const ADDRESS = {
  first_name: "Jane",
  last_name: "Doe",
  address_1: "1 Main St",
  city: "Berlin",
  country_code: "de",
  postal_code: "10115",
}

export default function guardSuite({ api, getContainer }: SuiteContext) {
  const me = (headers: { headers: Record<string, string> }) => api.get("/store/customers/me", headers)

  const expectCode = async (request: Promise<any>, status: number, code: string) => {
    const response = await refusal(request)
    expect({ status: response.status, code: response.data.code }).toEqual({ status, code })
    return response
  }

  /**
   * The impersonation is over: its token gets 401 impersonation_ended, the
   * session row carries the reason, exactly one session_ended row logs it, and
   * jane's own login is untouched.
   */
  const expectEnded = async (
    container: MedusaContainer,
    store: Store,
    imp: Impersonation,
    reason: string,
    { tokenExpired = false } = {}
  ) => {
    const requests = [
      () => me(imp.headers),
      () => api.get("/store/login-as-customer/session", imp.headers),
      () => api.post("/store/customers/me", { first_name: "X" }, imp.headers),
    ]
    for (const request of requests) {
      if (tokenExpired) {
        // The token's own exp has passed: Medusa refuses it (its code is asserted separately).
        expect((await refusal(request())).status).toBe(401)
      } else {
        await expectCode(request(), 401, "impersonation_ended")
      }
    }
    const session = await lacService(container).retrieveLoginAsCustomerSession(imp.session.id)
    expect(session.end_reason).toBe(reason)
    expect(session.ended_at).not.toBeNull()
    const rows = await settledLogRows(container, "session_ended", { session_id: imp.session.id })
    expect(rows).toHaveLength(1)
    expect(rows[0].details.end_reason).toBe(reason)
    // Jane's own login still works, and the change tried after the end didn't happen.
    const own = await me(store.jane.headers)
    expect(own.data.customer.id).toBe(store.jane.id)
    expect(own.data.customer.first_name).not.toBe("X")
    return rows[0]
  }

  /** An impersonation that demonstrably works before it is ended. */
  const liveImpersonation = async (store: Store, body: Record<string, unknown> = {}) => {
    const imp = await impersonate(api as never, store, store.jane, body)
    expect((await me(imp.headers)).data.customer.id).toBe(store.jane.id)
    return imp
  }

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

  it("ends when the admin ends it (ended_by_admin)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    const { data } = await api.post(`/admin/login-as-customer/sessions/${imp.session.id}/end`, {}, store.admin.headers)
    expect(data.session).toMatchObject({ id: imp.session.id, status: "ended", end_reason: "ended_by_admin" })
    const row = await expectEnded(container, store, imp, "ended_by_admin")
    expect(row).toMatchObject({ actor_type: "user", actor_id: store.admin.id })
  })

  it("ends when jane withdraws consent (consent_withdrawn); her own token keeps working", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    const withdrawn = await api.post("/store/customers/me/remote-assistance", { allowed: false }, store.jane.headers)
    expect(withdrawn.data.remote_assistance.allowed).toBe(false)
    const row = await expectEnded(container, store, imp, "consent_withdrawn")
    expect(row).toMatchObject({ actor_type: "customer", actor_id: store.jane.id })
  })

  it("ends when the feature is disabled (feature_disabled)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    await saveSettings(api as never, store, { enabled: false })
    await expectEnded(container, store, imp, "feature_disabled")
    // Switching it back on doesn't revive the session.
    await saveSettings(api as never, store, { enabled: true })
    await expectCode(me(imp.headers), 401, "impersonation_ended")
  })

  it("ends when the admin's grant is revoked with access selected_admins (admin_revoked)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container, { access: "selected_admins" })
    await api.post(`/admin/login-as-customer/grants/${store.admin.id}`, { can_login: true }, store.admin.headers)
    const imp = await liveImpersonation(store)
    // Changing only can_view_log keeps the session.
    await api.post(`/admin/login-as-customer/grants/${store.admin.id}`, { can_view_log: true }, store.admin.headers)
    expect((await me(imp.headers)).status).toBe(200)

    await api.post(`/admin/login-as-customer/grants/${store.admin.id}`, { can_login: false }, store.admin.headers)
    await expectEnded(container, store, imp, "admin_revoked")
  })

  it("ends at the next request when jane's time-boxed consent runs out mid-session (consent_withdrawn)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    // Nothing ends the session when the time passes; the guard must notice.
    const service = lacService(container)
    const consent = await service.getRemoteAssistance(store.jane.id)
    await service.updateRemoteAssistances({ id: consent.id, expires_at: new Date(Date.now() - 1000) })
    expect((await service.retrieveLoginAsCustomerSession(imp.session.id)).ended_at).toBeNull()
    await expectEnded(container, store, imp, "consent_withdrawn")
  })

  it("ends at the next request when access switches to selected_admins and the admin has no grant (admin_revoked)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const other = await createAdmin(api as never, container, "second@example.com", { first_name: "Bob" })
    await api.post(`/admin/login-as-customer/grants/${other.id}`, { can_login: true }, store.admin.headers)
    const imp = await liveImpersonation(store)
    const granted = await impersonate(api as never, { ...store, admin: other }, store.jane)

    await saveSettings(api as never, store, { access: "selected_admins" })
    await expectEnded(container, store, imp, "admin_revoked")
    // The granted admin's session goes on.
    expect((await me(granted.headers)).data.customer.id).toBe(store.jane.id)
  })

  it("ends when the admin is deleted through the user module (admin_revoked)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    await container.resolve(Modules.USER).deleteUsers([store.admin.id])
    await expectEnded(container, store, imp, "admin_revoked")
  })

  it("ends, without waiting for a store request, when another admin deletes the admin (DELETE /admin/users/:id)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const other = await createAdmin(api as never, container, "second@example.com")
    const imp = await liveImpersonation(store)

    const deleted = await api.delete(`/admin/users/${store.admin.id}`, other.headers)
    expect(deleted.data).toMatchObject({ id: store.admin.id, deleted: true })
    const ended = await eventually(async () => {
      const session = await lacService(container).retrieveLoginAsCustomerSession(imp.session.id)
      return session.ended_at ? session : null
    })
    expect(ended?.end_reason).toBe("admin_revoked")
    await expectEnded(container, store, imp, "admin_revoked")
  })

  // session_ttl_seconds 3 rather than 2: the token's exp is rounded down to
  // the second below the session's expiry (see exchange.suite.ts), so with 2 s
  // a token could already be dead when first used.
  it("refuses an expired session's token, and the expiry job ends it (expired), logged once", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container, { session_ttl_seconds: 3 })
    const imp = await liveImpersonation(store)
    expect(jwtPayload(imp.token).exp * 1000 - Date.now()).toBeLessThanOrEqual(3000)
    await new Promise((resolve) => setTimeout(resolve, 3500))

    expect((await refusal(me(imp.headers))).status).toBe(401)
    await expireLoginAsCustomerSessions(container)
    await expectEnded(container, store, imp, "expired", { tokenExpired: true })
    // The job running again logs nothing more.
    await expireLoginAsCustomerSessions(container)
    expect(await settledLogRows(container, "session_ended", { session_id: imp.session.id })).toHaveLength(1)
  })

  it("answers an expired session's next request with 401 impersonation_ended and ends it at once (expired)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container, { session_ttl_seconds: 3 })
    const imp = await liveImpersonation(store)
    await new Promise((resolve) => setTimeout(resolve, 3500))

    // No job run here: the guard itself must end the session on this request.
    const response = await refusal(me(imp.headers))
    const session = await lacService(container).retrieveLoginAsCustomerSession(imp.session.id)
    expect({
      status: response.status,
      code: response.data.code,
      ended: session.ended_at !== null,
      end_reason: session.end_reason,
    }).toEqual({ status: 401, code: "impersonation_ended", ended: true, end_reason: "expired" })
    await expectEnded(container, store, imp, "expired")
  })

  it("refuses forged and foreign tokens: a forged session claim gets 401 impersonation_ended, another secret 401", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await liveImpersonation(store)
    const { http } = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE).projectConfig
    const sign = (payload: Record<string, unknown>, secret = http.jwtSecret as string) =>
      generateJwtToken(
        { actor_type: "customer", auth_identity_id: "", user_metadata: {}, ...payload },
        { secret, expiresIn: 3600 }
      )
    const claim = (actorId: string, sessionId: string) => ({
      actor_id: actorId,
      app_metadata: { customer_id: actorId, login_as_customer: { session_id: sessionId, user_id: store.admin.id } },
      act: { sub: store.admin.id },
    })

    // A session that doesn't exist.
    const forged = sign(claim(store.jane.id, "lacs_01JFORGEDFORGEDFORGEDFORGE"))
    await expectCode(me(storeHeaders(store, forged)), 401, "impersonation_ended")
    // A real session, claimed for another customer.
    const crossed = sign(claim(store.john.id, imp.session.id))
    await expectCode(me(storeHeaders(store, crossed)), 401, "impersonation_ended")
    // An actor claim without a session claim is still an impersonation.
    const actOnly = sign({ actor_id: store.jane.id, app_metadata: { customer_id: store.jane.id }, act: { sub: store.admin.id } })
    await expectCode(me(storeHeaders(store, actOnly)), 401, "impersonation_ended")

    // The real session's token, re-signed with another secret.
    const foreign = sign(claim(store.jane.id, imp.session.id), "not-the-app-secret")
    const refused = await refusal(me(storeHeaders(store, foreign)))
    expect(refused.status).toBe(401)
    expect(refused.data.customer).toBeUndefined()

    // None of that touched the real session or jane's own login.
    expect((await me(imp.headers)).data.customer.id).toBe(store.jane.id)
    expect((await me(store.jane.headers)).data.customer.id).toBe(store.jane.id)
    const session = await lacService(container).retrieveLoginAsCustomerSession(imp.session.id)
    expect(session.ended_at).toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await logRows(container, "session_ended")).toHaveLength(0)
  })
}
