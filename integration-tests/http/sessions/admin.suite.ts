import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import {
  impersonate,
  lacService,
  logQuiet,
  logRows,
  refusal,
  saveSettings,
  settledLogRows,
  setupStore,
  Store,
} from "../../helpers/fixtures"
import { Actor, createAdmin, snapshotPluginTables } from "../../helpers/seed"

export default function adminSuite({ api, getContainer }: SuiteContext) {
  const list = async (query: string, admin: Actor) => {
    const { data } = await api.get(`/admin/login-as-customer/sessions${query}`, admin.headers)
    return data
  }
  const ids = (data: { sessions: Array<{ id: string }> }) => data.sessions.map((s) => s.id)

  /**
   * Three sessions: s1 (admin → jane, superseded by s2), s2 (admin → john,
   * active), s3 (bob → jane, active).
   */
  const threeSessions = async (store: Store) => {
    const bob = await createAdmin(api as never, getContainer(), "bob@example.com", {
      first_name: "Bob",
      last_name: "Helper",
    })
    await api.post(
      `/admin/customers/${store.john.id}/login-as-customer/remote-assistance`,
      { allowed: true },
      store.admin.headers
    )
    const s1 = await impersonate(api as never, store, store.jane)
    const s2 = await impersonate(api as never, store, store.john)
    const s3 = await impersonate(api as never, { ...store, admin: bob }, store.jane)
    return { bob, s1: s1.session.id, s2: s2.session.id, s3: s3.session.id }
  }

  it("lists sessions newest first with filters customer_id, user_id, active, and limit/offset/count", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const { bob, s1, s2, s3 } = await threeSessions(store)

    const all = await list("", store.admin)
    expect({ ids: ids(all), count: all.count, offset: all.offset, limit: all.limit }).toEqual({
      ids: [s3, s2, s1],
      count: 3,
      offset: 0,
      limit: 50,
    })
    const byId = Object.fromEntries(all.sessions.map((s: any) => [s.id, s]))
    expect(byId[s1]).toMatchObject({
      user_id: store.admin.id,
      customer_id: store.jane.id,
      admin: { id: store.admin.id, email: "admin@example.com", first_name: "Ada", last_name: "Admin" },
      status: "ended",
      end_reason: "superseded",
      mode: "full",
      storefront_id: "main",
    })
    expect(byId[s1].ended_at).not.toBeNull()
    expect(byId[s2]).toMatchObject({ customer_id: store.john.id, status: "active", end_reason: null, ended_at: null })
    expect(byId[s3]).toMatchObject({
      user_id: bob.id,
      admin: { first_name: "Bob", last_name: "Helper" },
      status: "active",
    })

    expect(ids(await list(`?order=created_at`, store.admin))).toEqual([s1, s2, s3])
    expect(ids(await list(`?customer_id=${store.jane.id}`, store.admin))).toEqual([s3, s1])
    expect(ids(await list(`?customer_id=${store.john.id}`, store.admin))).toEqual([s2])
    expect(ids(await list(`?user_id=${store.admin.id}`, store.admin))).toEqual([s2, s1])
    expect(ids(await list(`?user_id=${bob.id}`, store.admin))).toEqual([s3])
    expect(ids(await list(`?active=true`, store.admin))).toEqual([s3, s2])
    expect(ids(await list(`?active=false`, store.admin))).toEqual([s1])
    expect(ids(await list(`?customer_id=${store.jane.id}&active=true`, store.admin))).toEqual([s3])
    expect(ids(await list(`?customer_id=cus_nobody`, store.admin))).toEqual([])

    const page = await list("?limit=1&offset=1", store.admin)
    expect({ ids: ids(page), count: page.count, offset: page.offset, limit: page.limit }).toEqual({
      ids: [s2],
      count: 3,
      offset: 1,
      limit: 1,
    })
    const filteredPage = await list(`?customer_id=${store.jane.id}&limit=1`, store.admin)
    expect({ ids: ids(filteredPage), count: filteredPage.count }).toEqual({ ids: [s3], count: 2 })
    expect((await list("?offset=3", store.admin)).sessions).toEqual([])

    // A session whose time ran out (not yet ended by the job) is not active.
    await lacService(container).updateLoginAsCustomerSessions({ id: s2, expires_at: new Date(Date.now() - 1000) })
    expect(ids(await list(`?active=true`, store.admin))).toEqual([s3])
    const inactive = await list(`?active=false`, store.admin)
    expect(ids(inactive)).toEqual([s2, s1])
    expect(inactive.sessions[0].status).toBe("expired")
  })

  it("shows a session in the list and on the customer's card as its ticket_issued line records it, not as its row was changed by SQL", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const bob = await createAdmin(api as never, container, "bob@example.com", { first_name: "Bob", last_name: "Helper" })
    const { session } = await impersonate(api as never, store, store.jane, { reason: "Check my address" })
    await container.resolve(ContainerRegistrationKeys.PG_CONNECTION).raw(
      `update login_as_customer_session
          set reason = 'You asked us to order 3 more items', mode = 'read_only', user_id = ?, storefront_id = 'other' where id = ?`,
      [bob.id, session.id]
    )
    const asIssued = {
      id: session.id,
      user_id: store.admin.id,
      customer_id: store.jane.id,
      admin: { id: store.admin.id, email: "admin@example.com", first_name: "Ada", last_name: "Admin" },
      storefront_id: "main",
      reason: "Check my address",
      mode: "full",
      status: "active",
    }

    const all = await list("", store.admin)
    expect(all.count).toBe(1)
    expect(all.sessions).toEqual([expect.objectContaining(asIssued)])
    // The filters still read the row's columns.
    expect(ids(await list(`?user_id=${bob.id}`, store.admin))).toEqual([session.id])

    const card = await api.get(`/admin/customers/${store.jane.id}/login-as-customer`, store.admin.headers)
    expect(card.data.active_sessions).toEqual([expect.objectContaining(asIssued)])
  })

  it("validates the list's query (400 invalid_data)", async () => {
    const store = await setupStore(api as never, getContainer())
    for (const query of ["?active=maybe", "?limit=0", "?limit=201", "?offset=-1", "?order=email", "?foo=bar", "?user_id[__proto__]=x", "?customer_id%5Bconstructor%5D=x"]) {
      const response = await refusal(api.get(`/admin/login-as-customer/sessions${query}`, store.admin.headers))
      expect({ query, status: response.status, code: response.data.code }).toEqual({
        query,
        status: 400,
        code: "invalid_data",
      })
    }
    expect((await list("?active=true&limit=200&offset=0", store.admin)).count).toBe(0)
  })

  it("ends a session: unknown id → 404 session_not_found; ending twice answers 409 session_already_ended, changes nothing and is logged once; an ended session keeps its reason", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const { s1, s3 } = await threeSessions(store)

    const unknown = await refusal(api.post(`/admin/login-as-customer/sessions/lacs_unknown/end`, {}, store.admin.headers))
    expect({ status: unknown.status, code: unknown.data.code }).toEqual({ status: 404, code: "session_not_found" })

    // It reads no body: a field sent is refused, not silently dropped, and nothing ends.
    const withReason = await refusal(api.post(`/admin/login-as-customer/sessions/${s3}/end`, { reason: "fraud" }, store.admin.headers))
    expect({ status: withReason.status, code: withReason.data.code }).toEqual({ status: 400, code: "invalid_data" })
    expect(withReason.data.message).toContain("unknown field(s): reason")
    expect((await lacService(container).retrieveLoginAsCustomerSession(s3)).ended_at).toBeNull()

    // Any admin with the permission may end another admin's session.
    const first = await api.post(`/admin/login-as-customer/sessions/${s3}/end`, {}, store.admin.headers)
    expect(first.data.session).toMatchObject({ id: s3, status: "ended", end_reason: "ended_by_admin" })
    expect(first.data.session.ended_at).not.toBeNull()
    const rows = await settledLogRows(container, "session_ended", { session_id: s3 })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ actor_type: "user", actor_id: store.admin.id, details: { end_reason: "ended_by_admin" } })

    // Every log row so far has landed (3 issued, 3 started, s1 and s3 ended).
    await settledLogRows(container, "session_started", {}, { count: 3 })
    expect(await settledLogRows(container, "session_ended", {}, { count: 2 })).toHaveLength(2)
    await logQuiet(container)
    const before = await snapshotPluginTables(container)
    const second = await refusal(api.post(`/admin/login-as-customer/sessions/${s3}/end`, {}, store.admin.headers))
    expect({ status: second.status, code: second.data.code, type: second.data.type, end_reason: second.data.end_reason }).toEqual({
      status: 409,
      code: "session_already_ended",
      type: "conflict",
      end_reason: "ended_by_admin",
    })
    expect(second.data.message).toContain("already ended")
    expect(second.data.session).toEqual(first.data.session)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await snapshotPluginTables(container)).toBe(before)
    expect(await logRows(container, "session_ended", { session_id: s3 })).toHaveLength(1)

    // s1 was superseded: ending it again says so and doesn't rewrite its reason.
    const superseded = await refusal(api.post(`/admin/login-as-customer/sessions/${s1}/end`, {}, store.admin.headers))
    expect({ status: superseded.status, code: superseded.data.code, end_reason: superseded.data.end_reason }).toEqual({
      status: 409,
      code: "session_already_ended",
      end_reason: "superseded",
    })
    expect(superseded.data.session).toMatchObject({ id: s1, status: "ended", end_reason: "superseded" })
    expect(await settledLogRows(container, "session_ended", { session_id: s1 })).toHaveLength(1)
  })

  it("End of a session past its end answers 409 session_already_ended with end_reason expired (not ended_by_admin)", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const imp = await impersonate(api as never, store)
    await lacService(container).updateLoginAsCustomerSessions({
      id: imp.session.id,
      expires_at: new Date(Date.now() - 60_000),
    })
    const answer = await refusal(api.post(`/admin/login-as-customer/sessions/${imp.session.id}/end`, {}, store.admin.headers))
    expect({ status: answer.status, code: answer.data.code, end_reason: answer.data.end_reason }).toEqual({
      status: 409,
      code: "session_already_ended",
      end_reason: "expired",
    })
    expect(answer.data.session).toMatchObject({ id: imp.session.id, status: "ended", end_reason: "expired" })
    const stored = await lacService(container).retrieveLoginAsCustomerSession(imp.session.id)
    expect(stored.end_reason).toBe("expired")
    const ended = await settledLogRows(container, "session_ended", { session_id: imp.session.id })
    expect(ended.map((row: { details: { end_reason: string } }) => row.details.end_reason)).toEqual(["expired"])
  })

  it("needs a permission: with selected_admins, no grant → 403 permission_denied; can_view_log may list but not end", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const { s2 } = await threeSessions(store)
    const carol = await createAdmin(api as never, container, "carol@example.com", { first_name: "Carol" })
    await saveSettings(api as never, store, { access: "selected_admins" })

    const listing = await refusal(api.get("/admin/login-as-customer/sessions", carol.headers))
    expect({ status: listing.status, code: listing.data.code }).toEqual({ status: 403, code: "permission_denied" })
    const ending = await refusal(api.post(`/admin/login-as-customer/sessions/${s2}/end`, {}, carol.headers))
    expect({ status: ending.status, code: ending.data.code }).toEqual({ status: 403, code: "permission_denied" })

    await api.post(`/admin/login-as-customer/grants/${carol.id}`, { can_view_log: true }, store.admin.headers)
    expect((await list("", carol)).count).toBe(3)
    const stillRefused = await refusal(api.post(`/admin/login-as-customer/sessions/${s2}/end`, {}, carol.headers))
    expect({ status: stillRefused.status, code: stillRefused.data.code }).toEqual({ status: 403, code: "permission_denied" })
    expect((await lacService(container).retrieveLoginAsCustomerSession(s2)).ended_at).toBeNull()

    await api.post(`/admin/login-as-customer/grants/${carol.id}`, { can_login: true }, store.admin.headers)
    const ended = await api.post(`/admin/login-as-customer/sessions/${s2}/end`, {}, carol.headers)
    expect(ended.data.session).toMatchObject({ id: s2, end_reason: "ended_by_admin" })
  })
}
