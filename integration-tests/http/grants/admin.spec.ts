import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  lacService,
  logQuiet,
  logRows,
  refusal,
  saveSettings,
  settledLogRows,
  setupStore,
  Store,
  storeHeaders,
  ticketOf,
} from "../../helpers/fixtures"
import { Actor, createAdmin, snapshotPluginTables } from "../../helpers/seed"

jest.setTimeout(120_000)

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const grants = async (admin: Actor) => (await api.get("/admin/login-as-customer/grants", admin.headers)).data
    const setGrant = (store: Store, userId: string, body: unknown) =>
      api.post(`/admin/login-as-customer/grants/${userId}`, body, store.admin.headers)
    const startAs = (admin: Actor, customerId: string) =>
      api.post(`/admin/customers/${customerId}/login-as-customer`, {}, admin.headers)

    const team = async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const bob = await createAdmin(api as never, container, "bob@example.com", { first_name: "Bob", last_name: "Helper" })
      const carol = await createAdmin(api as never, container, "carol@example.com", { first_name: "Carol", last_name: "Viewer" })
      return { store, bob, carol }
    }

    it("lists every admin with can_login / can_view_log (false without a grant row) and whether grants apply", async () => {
      const { store, bob, carol } = await team()

      const initial = await grants(store.admin)
      expect(initial).toMatchObject({
        access: "all_admins",
        applies: false,
        grants: [
          { user_id: store.admin.id, email: "admin@example.com", first_name: "Ada", last_name: "Admin", can_login: false, can_view_log: false },
          { user_id: bob.id, email: "bob@example.com", first_name: "Bob", last_name: "Helper", can_login: false, can_view_log: false },
          { user_id: carol.id, email: "carol@example.com", first_name: "Carol", last_name: "Viewer", can_login: false, can_view_log: false },
        ],
      })
      // Exactly these admins, and no grant rows behind the falses.
      expect(initial.grants).toHaveLength(3)
      expect(await lacService(getContainer()).listLoginAsCustomerAdminGrants({})).toHaveLength(0)

      await setGrant(store, bob.id, { can_login: true })
      await saveSettings(api as never, store, { access: "selected_admins" })
      const after = await grants(store.admin)
      expect({ access: after.access, applies: after.applies }).toEqual({ access: "selected_admins", applies: true })
      expect(after.grants.map((g: any) => [g.email, g.can_login, g.can_view_log])).toEqual([
        ["admin@example.com", false, false],
        ["bob@example.com", true, false],
        ["carol@example.com", false, false],
      ])
    })

    it("sets grants field by field, logs each change as grant_updated, and validates strictly", async () => {
      const container = getContainer()
      const { store, bob } = await team()

      const first = await setGrant(store, bob.id, { can_view_log: true })
      expect(first.data.grant).toMatchObject({ user_id: bob.id, can_login: false, can_view_log: true })
      const second = await setGrant(store, bob.id, { can_login: true })
      // The field left out keeps its value.
      expect(second.data.grant).toMatchObject({ user_id: bob.id, can_login: true, can_view_log: true })
      const rowsInDb = await lacService(container).listLoginAsCustomerAdminGrants({ user_id: bob.id })
      expect(rowsInDb).toHaveLength(1)
      expect(rowsInDb[0]).toMatchObject({ can_login: true, can_view_log: true })

      const logged = await settledLogRows(container, "grant_updated", {}, { count: 2 })
      expect(logged.map((row) => ({ actor: row.actor_id, user: row.user_id, details: row.details }))).toEqual([
        {
          actor: store.admin.id,
          user: store.admin.id,
          details: { grantee_id: bob.id, can_login: false, can_view_log: true, previous: null },
        },
        {
          actor: store.admin.id,
          user: store.admin.id,
          details: {
            grantee_id: bob.id,
            can_login: true,
            can_view_log: true,
            previous: { can_login: false, can_view_log: true },
          },
        },
      ])

      await logQuiet(container)
      const before = await snapshotPluginTables(container)
      for (const body of [{}, { can_login: "yes" }, { can_login: 1 }, { can_view_log: null }, { can_login: true, can_manage: true }, { user_id: store.admin.id, can_login: true }]) {
        const response = await refusal(setGrant(store, bob.id, body))
        expect({ body, status: response.status, code: response.data.code }).toEqual({ body, status: 400, code: "invalid_data" })
      }
      const unknown = await refusal(setGrant(store, "user_does_not_exist", { can_login: true }))
      expect({ status: unknown.status, code: unknown.data.code }).toEqual({ status: 404, code: "user_not_found" })
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(await snapshotPluginTables(container)).toBe(before)
      expect(await logRows(container, "grant_updated")).toHaveLength(2)
    })

    it("with access selected_admins, only a granted admin may start; can_view_log alone reads the log but may not start", async () => {
      const container = getContainer()
      const { store, bob, carol } = await team()
      const dave = await createAdmin(api as never, container, "dave@example.com", { first_name: "Dave" })
      await saveSettings(api as never, store, { access: "selected_admins" })
      await setGrant(store, bob.id, { can_login: true })
      await setGrant(store, dave.id, { can_view_log: true })

      // Bob: granted.
      const bobs = await startAs(bob, store.jane.id)
      expect(bobs.status).toBe(201)
      const exchanged = await store.storefront().client.fetch<any>("/store/login-as-customer/sessions", {
        method: "POST",
        body: { ticket: ticketOf(bobs.data.redirect_url) },
      })
      expect(exchanged.session.admin).toEqual({ first_name: "Bob", last_name: "Helper" })
      const bobView = (await api.get(`/admin/customers/${store.jane.id}/login-as-customer`, bob.headers)).data
      expect({ can_login: bobView.can_login, reason: bobView.reason }).toEqual({ can_login: true, reason: null })

      // Carol: no grant row at all.
      const carols = await refusal(startAs(carol, store.jane.id))
      expect({ status: carols.status, code: carols.data.code }).toEqual({ status: 403, code: "permission_denied" })
      const carolView = (await api.get(`/admin/customers/${store.jane.id}/login-as-customer`, carol.headers)).data
      expect({ can_login: carolView.can_login, reason: carolView.reason, active: carolView.active_sessions }).toEqual({
        can_login: false,
        reason: "permission_denied",
        active: [],
      })
      const carolLog = await refusal(api.get("/admin/login-as-customer/log", carol.headers))
      expect({ status: carolLog.status, code: carolLog.data.code }).toEqual({ status: 403, code: "permission_denied" })

      // Dave: may read the log, may not log in.
      const davesLog = await api.get("/admin/login-as-customer/log?limit=200", dave.headers)
      expect(davesLog.status).toBe(200)
      expect(davesLog.data.count).toBeGreaterThan(0)
      // Dave's customer card: consent, bob's session in progress, the log link; no storefronts, no start.
      const daveView = (await api.get(`/admin/customers/${store.jane.id}/login-as-customer`, dave.headers)).data
      expect({
        can_login: daveView.can_login,
        reason: daveView.reason,
        permissions: daveView.permissions,
        consent: daveView.remote_assistance.allowed,
        active: daveView.active_sessions.map((s: any) => [s.user_id, s.status, s.admin?.first_name]),
        storefronts: daveView.storefronts,
      }).toEqual({
        can_login: false,
        reason: "permission_denied",
        permissions: { can_login: false, can_view_log: true, can_manage: true },
        consent: true,
        active: [[bob.id, "active", "Bob"]],
        storefronts: [],
      })
      const daves = await refusal(startAs(dave, store.jane.id))
      expect({ status: daves.status, code: daves.data.code }).toEqual({ status: 403, code: "permission_denied" })

      const denied = await settledLogRows(container, "login_denied", {}, { count: 2 })
      expect(denied.map((row) => [row.user_id, row.details.code]).sort()).toEqual(
        [
          [carol.id, "permission_denied"],
          [dave.id, "permission_denied"],
        ].sort()
      )
      // Only bob's session exists.
      const sessions = await lacService(container).listLoginAsCustomerSessions({})
      expect(sessions.map((s: any) => s.user_id)).toEqual([bob.id])

      // Back to all_admins: carol may start after all.
      await saveSettings(api as never, store, { access: "all_admins" })
      expect((await startAs(carol, store.jane.id)).status).toBe(201)
    })

    it("leaves an admin's session alone when their grant changes while grants don't apply (all_admins)", async () => {
      const container = getContainer()
      const { store, bob } = await team()
      await setGrant(store, bob.id, { can_login: true })
      const started = await startAs(bob, store.jane.id)
      const exchanged = await store.storefront().client.fetch<any>("/store/login-as-customer/sessions", {
        method: "POST",
        body: { ticket: ticketOf(started.data.redirect_url) },
      })
      expect((await grants(store.admin)).applies).toBe(false)

      // Bob keeps "Allow Login as Customer" (every admin has it): nothing is revoked.
      await setGrant(store, bob.id, { can_login: false })
      const session = await lacService(container).retrieveLoginAsCustomerSession(exchanged.session.id)
      expect({ ended_at: session.ended_at, end_reason: session.end_reason }).toEqual({ ended_at: null, end_reason: null })
      const me = await api.get("/store/customers/me", storeHeaders(store, exchanged.token))
      expect(me.data.customer.id).toBe(store.jane.id)
      // And he may still start a session.
      expect((await startAs(bob, store.jane.id)).status).toBe(201)
    })
  },
})
