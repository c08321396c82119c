import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { impersonate, jwtPayload, LOGIN_URL } from "../../helpers/fixtures"
import { createAdmin, eventually, refused as failed } from "../../helpers/seed"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"
import { CUSTOMER_READ, LOGIN, MANAGE, rbacFixtures, SUPER_ADMIN_ROLE, VIEW_LOG } from "./rbac-helpers"
import type { SuiteContext } from "../../helpers/suite"

/** With RBAC on: the plugin's policies synced, and each route allowed or refused by the role's policies. */
export default function rbacRoutesSuite(context: SuiteContext) {
  const { getContainer } = context
  const { http, setup, adminWith, storeFor, deniedLogEntries } = rbacFixtures(context)

  it("the flag is on in the app, the plugin's policies are synced and login tokens carry roles", async () => {
    const container = getContainer()
    expect(container.resolve(ContainerRegistrationKeys.FEATURE_FLAG_ROUTER).isFeatureEnabled("rbac")).toBe(true)

    // Synced at startup by the RBAC module's onApplicationStart hook
    // (syncRegisteredPolicies) from what src/policies registered.
    const rbac = container.resolve(Modules.RBAC) as any
    const synced = await rbac.listRbacPolicies({ key: [LOGIN, VIEW_LOG, MANAGE] })
    expect(synced.map((policy: any) => policy.key).sort()).toEqual([LOGIN, VIEW_LOG, MANAGE].sort())
    const byKey = Object.fromEntries(synced.map((policy: any) => [policy.key, policy]))
    expect(byKey[LOGIN]).toMatchObject({
      resource: "login_as_customer",
      operation: "allow",
      name: "AllowLoginAsCustomer",
      description: "Allow Login as Customer",
    })
    expect(byKey[VIEW_LOG]).toMatchObject({
      resource: "login_as_customer_log",
      operation: "read",
      name: "ViewLoginAsCustomerLog",
      description: "View Login as Customer Log",
    })
    expect(byKey[MANAGE]).toMatchObject({
      resource: "login_as_customer_settings",
      operation: "update",
      name: "ManageLoginAsCustomerSettings",
    })

    const world = await setup()
    // Core's login (generate-jwt-token.js) put the user's rbac_roles in the token.
    expect(jwtPayload(world.owner.token).app_metadata.roles).toEqual([SUPER_ADMIN_ROLE])

    // The Super Admin role's `*:*` covers the plugin's policies too.
    const status = await http.get(`/admin/customers/${world.jane.id}/login-as-customer`, world.owner.headers)
    expect(status.data.permissions).toEqual({ can_login: true, can_view_log: true, can_manage: true })
    expect(status.data.can_login).toBe(true)

    // Core's RBAC routes exist only with the flag on.
    const roles = await http.get("/admin/rbac/roles", world.owner.headers)
    expect(roles.status).toBe(200)
    expect(roles.data.roles.map((role: any) => role.id)).toContain(SUPER_ADMIN_ROLE)
  })

  it("an admin whose role allows Login as Customer starts a session and the storefront exchange works", async () => {
    const world = await setup()
    const support = await adminWith(world, "support@example.com", [CUSTOMER_READ, LOGIN])

    const status = await http.get(`/admin/customers/${world.jane.id}/login-as-customer`, support.headers)
    expect(status.status).toBe(200)
    expect(status.data.can_login).toBe(true)
    expect(status.data.reason).toBeNull()
    expect(status.data.permissions).toEqual({ can_login: true, can_view_log: false, can_manage: false })
    expect(status.data.storefronts.map((s: any) => s.id)).toEqual(["main"])

    const session = await impersonate(http, storeFor(world, support))
    expect(session.start.redirect_url.startsWith(`${LOGIN_URL}#ticket=`)).toBe(true)
    expect(session.session.id).toBe(session.start.session_id)
    expect(jwtPayload(session.token).act).toEqual({ sub: support.id })

    const me = await http.get("/store/customers/me", session.headers)
    expect(me.status).toBe(200)
    expect(me.data.customer.id).toBe(world.jane.id)

    const service = world.container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any
    const [row] = await service.listLoginAsCustomerSessions({ id: session.start.session_id })
    expect(row).toMatchObject({ user_id: support.id, customer_id: world.jane.id, ended_at: null })
    expect(row.started_at).toBeTruthy()
  })

  it("an admin whose role lacks it sees permission_denied, is refused with 403 and the refusal is logged", async () => {
    const world = await setup()
    const viewer = await adminWith(world, "viewer@example.com", [CUSTOMER_READ, VIEW_LOG])
    const reader = await adminWith(world, "reader@example.com", [CUSTOMER_READ])
    // The owner helps jane: the viewer's card shows that session (the log would too), the reader's doesn't.
    const helping = await impersonate(http, storeFor(world, world.owner))

    const status = await http.get(`/admin/customers/${world.jane.id}/login-as-customer`, viewer.headers)
    expect(status.status).toBe(200)
    expect(status.data.can_login).toBe(false)
    expect(status.data.reason).toBe("permission_denied")
    expect(status.data.permissions).toEqual({ can_login: false, can_view_log: true, can_manage: false })
    expect(status.data.storefronts).toEqual([])
    expect(status.data.active_sessions.map((s: any) => [s.id, s.user_id, s.status])).toEqual([
      [helping.session.id, world.owner.id, "active"],
    ])
    const readers = await http.get(`/admin/customers/${world.jane.id}/login-as-customer`, reader.headers)
    expect(readers.status).toBe(200)
    expect(readers.data.permissions).toEqual({ can_login: false, can_view_log: false, can_manage: false })
    expect(readers.data.active_sessions).toEqual([])

    const refused = await failed(
      http.post(`/admin/customers/${world.jane.id}/login-as-customer`, { reason: "Ticket #7" }, viewer.headers)
    )
    expect(refused.status).toBe(403)
    expect(refused.data.code).toBe("permission_denied")

    const entries = await eventually(async () => {
      const rows = await deniedLogEntries(world.container, viewer.id)
      return rows.length ? rows : null
    })
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({
      action: "login_denied",
      user_id: viewer.id,
      user_email: "viewer@example.com",
      customer_id: world.jane.id,
    })
    expect(entries[0].details).toMatchObject({ code: "permission_denied", reason: "Ticket #7" })

    const service = world.container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any
    expect(await service.listLoginAsCustomerTickets({ user_id: viewer.id })).toHaveLength(0)
    expect(await service.listLoginAsCustomerSessions({ user_id: viewer.id })).toHaveLength(0)
  })

  it("GET /admin/login-as-customer/log needs View Login as Customer Log", async () => {
    const world = await setup()
    const viewer = await adminWith(world, "viewer@example.com", [VIEW_LOG])
    const support = await adminWith(world, "support@example.com", [CUSTOMER_READ, LOGIN])

    const log = await http.get("/admin/login-as-customer/log", viewer.headers)
    expect(log.status).toBe(200)
    // The owner's settings change at setup is in it.
    expect(log.data.log_entries.map((entry: any) => entry.action)).toContain("settings_updated")
    expect(log.data.count).toBeGreaterThan(0)

    const exported = await http.get("/admin/login-as-customer/log/export", viewer.headers)
    expect(exported.status).toBe(200)
    expect(String(exported.headers["content-type"])).toContain("text/csv")

    const refused = await failed(http.get("/admin/login-as-customer/log", support.headers))
    expect(refused.status).toBe(403)
    expect(refused.data.code).toBe("permission_denied")

    const refusedExport = await failed(http.get("/admin/login-as-customer/log/export", support.headers))
    expect(refusedExport.status).toBe(403)
    expect(refusedExport.data.code).toBe("permission_denied")

    // An admin with no role at all: deny by default.
    const roleless = await createAdmin(http, world.container, "roleless@example.com")
    expect(jwtPayload(roleless.token).app_metadata.roles).toEqual([])
    const none = await failed(http.get("/admin/login-as-customer/log", roleless.headers))
    expect(none.status).toBe(403)
    expect(none.data.code).toBe("permission_denied")
  })

  it("POST /admin/login-as-customer/settings needs the manage policy", async () => {
    const world = await setup()
    const manager = await adminWith(world, "manager@example.com", [MANAGE])
    const support = await adminWith(world, "support@example.com", [CUSTOMER_READ, LOGIN, VIEW_LOG])

    const saved = await http.post("/admin/login-as-customer/settings", { require_reason: true }, manager.headers)
    expect(saved.status).toBe(200)
    expect(saved.data.settings.require_reason).toBe(true)

    const refused = await failed(
      http.post("/admin/login-as-customer/settings", { require_reason: false, enabled: false }, support.headers)
    )
    expect(refused.status).toBe(403)
    expect(refused.data.code).toBe("permission_denied")

    const service = world.container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any
    const settings = await service.getSettings()
    expect(settings.require_reason).toBe(true)
    expect(settings.enabled).toBe(true)
  })
}
