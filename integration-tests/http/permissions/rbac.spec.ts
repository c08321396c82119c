import Medusa from "@medusajs/js-sdk"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  ContainerRegistrationKeys,
  FeatureFlag,
  Modules,
  registerFeatureFlag,
} from "@medusajs/framework/utils"
import RbacFeatureFlag from "@medusajs/medusa/feature-flags/rbac"
import type { MedusaContainer } from "@medusajs/framework/types"
import { impersonate, LOGIN_URL, Store, ticketOf } from "../../helpers/fixtures"
import {
  Actor,
  createAdmin,
  createPublishableKey,
  eventually,
  PASSWORD,
  refused as failed,
  registerCustomer,
} from "../../helpers/seed"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"

jest.setTimeout(120_000)

// Medusa's RBAC feature flag ON: the roles in an admin's token decide, both for
// Medusa's own routes and for the plugin's (src/policies + src/lib/permissions).
//
// The runner's `env` option alone does NOT give a working RBAC app. The runner
// evaluates medusa-config.js (configLoaderOverride) before it applies `env`,
// and even with MEDUSA_FF_RBAC already set, the `rbac` flag is not registered
// yet at that point: core flags are discovered from @medusajs/medusa's
// feature-flags dir only later, by the app loaders. defineConfig adds the RBAC
// module with `disable: !FeatureFlag.isFeatureEnabled("rbac")`, so the module
// stays off while the flag ends up on: tokens carry no roles, the user <>
// rbac_role link is missing and every policy-guarded route answers 403.
// (Medusa's own initializeContainer has the same order: featureFlagsLoader(root)
// → configLoader → featureFlagsLoader(@medusajs/medusa).) So the core flag is
// registered from the environment here, before the runner loads the config.
process.env.MEDUSA_FF_RBAC = "true"
registerFeatureFlag({ flag: RbacFeatureFlag, projectConfigFlags: {}, router: FeatureFlag })

type Api = Parameters<typeof createAdmin>[0] & { defaults: { baseURL?: string } }

const LOGIN = "login_as_customer:allow"
const VIEW_LOG = "login_as_customer_log:read"
const MANAGE = "login_as_customer_settings:update"
/** Core policy every /admin/customers/* route needs (node_modules/@medusajs/medusa/dist/api/admin/customers/middlewares.js). */
const CUSTOMER_READ = "customer:read"

/** Medusa's initial-data loader (node_modules/@medusajs/rbac/dist/loaders/initial-data.js): policy `*:*`. */
const SUPER_ADMIN_ROLE = "role_super_admin"

type Admin = Actor & { role_id: string }

type World = {
  container: MedusaContainer
  owner: Actor
  publishableKey: string
  jane: Actor
  john: Actor
  /** Policy id by key (`resource:operation`). */
  policies: Record<string, string>
}

function jwtPayload(token: string): any {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"))
}

medusaIntegrationTestRunner({
  inApp: true,
  env: { MEDUSA_FF_RBAC: "true" },
  testSuite: ({ api, getContainer }) => {
    const http = api as unknown as Api

    async function login(email: string, id: string): Promise<Actor> {
      const { data } = await http.post("/auth/user/emailpass", { email, password: PASSWORD })
      return { id, email, token: data.token, headers: { headers: { authorization: `Bearer ${data.token}` } } }
    }

    /**
     * An owner with Medusa's Super Admin role (the first admin can only get a
     * role from outside HTTP: nobody may assign one yet), a storefront key, jane
     * (consent given) and john, the feature enabled with one storefront.
     */
    async function setup(): Promise<World> {
      const container = getContainer()
      const created = await createAdmin(http, container, "owner@example.com", {
        first_name: "Olga",
        last_name: "Owner",
      })
      await container.resolve(ContainerRegistrationKeys.LINK).create({
        [Modules.USER]: { user_id: created.id },
        [Modules.RBAC]: { rbac_role_id: SUPER_ADMIN_ROLE },
      })
      // Logged in again: roles are read into the token at login.
      const owner = await login(created.email, created.id)

      const publishableKey = await createPublishableKey(container)
      const jane = await registerCustomer(http, publishableKey, "jane@example.com", {
        first_name: "Jane",
        last_name: "Doe",
      })
      const john = await registerCustomer(http, publishableKey, "john@example.com", {
        first_name: "John",
        last_name: "Smith",
      })
      await http.post("/store/customers/me/remote-assistance", { allowed: true }, jane.headers)
      const settings = await http.post(
        "/admin/login-as-customer/settings",
        { enabled: true, storefronts: [{ id: "main", name: "Main store", login_url: LOGIN_URL }] },
        owner.headers
      )
      expect(settings.status).toBe(200)

      const keys = [LOGIN, VIEW_LOG, MANAGE, CUSTOMER_READ]
      const { data } = await http.get(
        `/admin/rbac/policies?limit=50&${keys.map((key) => `key[]=${encodeURIComponent(key)}`).join("&")}`,
        owner.headers
      )
      const policies: Record<string, string> = {}
      for (const policy of data.policies) {
        policies[policy.key] = policy.id
      }
      expect(Object.keys(policies).sort()).toEqual([...keys].sort())
      return { container, owner, publishableKey, jane, john, policies }
    }

    /** An admin with one new role holding exactly `keys`, created and assigned over HTTP, then logged in. */
    async function adminWith(world: World, email: string, keys: string[]): Promise<Admin> {
      const created = await createAdmin(http, world.container, email)
      const { data } = await http.post(
        "/admin/rbac/roles",
        { name: `Role of ${email}`, policy_ids: keys.map((key) => world.policies[key]) },
        world.owner.headers
      )
      const role = data.role
      await http.post(`/admin/users/${created.id}/roles`, { roles: [role.id] }, world.owner.headers)
      const actor = await login(email, created.id)
      expect(jwtPayload(actor.token).app_metadata.roles).toEqual([role.id])
      return { ...actor, role_id: role.id }
    }

    /** The fixtures' Store shape, acting as `admin`, so `impersonate` can be reused. */
    function storeFor(world: World, admin: Actor): Store {
      const baseUrl = http.defaults.baseURL as string
      return {
        admin,
        publishableKey: world.publishableKey,
        jane: world.jane,
        john: world.john,
        baseUrl,
        storefront: () =>
          new Medusa({
            baseUrl,
            publishableKey: world.publishableKey,
            auth: { type: "jwt", jwtTokenStorageMethod: "memory" },
          }),
      }
    }

    async function deniedLogEntries(container: MedusaContainer, userId: string) {
      const service = container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any
      return service.listLoginAsCustomerLogEntries({ action: "login_denied", user_id: userId })
    }

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

      const status = await http.get(`/admin/customers/${world.jane.id}/login-as-customer`, viewer.headers)
      expect(status.status).toBe(200)
      expect(status.data.can_login).toBe(false)
      expect(status.data.reason).toBe("permission_denied")
      expect(status.data.permissions).toEqual({ can_login: false, can_view_log: true, can_manage: false })
      expect(status.data.storefronts).toEqual([])

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

    it("removing the policy from the admin's role ends the session (admin_revoked) and refuses new starts", async () => {
      const world = await setup()
      const support = await adminWith(world, "support@example.com", [CUSTOMER_READ, LOGIN])
      const session = await impersonate(http, storeFor(world, support))
      expect((await http.get("/store/customers/me", session.headers)).status).toBe(200)

      const removed = await http.delete(
        `/admin/rbac/roles/${support.role_id}/policies/${world.policies[LOGIN]}`,
        world.owner.headers
      )
      expect(removed.status).toBe(200)

      const after = await failed(http.get("/store/customers/me", session.headers))
      expect(after.status).toBe(401)
      expect(after.data.code).toBe("impersonation_ended")

      const service = world.container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any
      const [row] = await service.listLoginAsCustomerSessions({ id: session.start.session_id })
      expect(row.ended_at).toBeTruthy()
      expect(row.end_reason).toBe("admin_revoked")

      const ended = await eventually(async () => {
        const rows = await service.listLoginAsCustomerLogEntries({
          action: "session_ended",
          session_id: session.start.session_id,
        })
        return rows.length ? rows : null
      })
      expect(ended).toHaveLength(1)

      // The admin's token still names the role, but the role no longer allows it.
      const again = await failed(
        http.post(`/admin/customers/${world.jane.id}/login-as-customer`, {}, support.headers)
      )
      expect(again.status).toBe(403)
      expect(again.data.code).toBe("permission_denied")
    })

    it("removing the role from the admin ends the session (admin_revoked)", async () => {
      const world = await setup()
      const support = await adminWith(world, "support@example.com", [CUSTOMER_READ, LOGIN])
      const session = await impersonate(http, storeFor(world, support))
      expect((await http.get("/store/customers/me", session.headers)).status).toBe(200)

      const removed = await http.delete(`/admin/users/${support.id}/roles/${support.role_id}`, world.owner.headers)
      expect(removed.status).toBe(200)

      const after = await failed(http.get("/store/customers/me", session.headers))
      expect(after.status).toBe(401)
      expect(after.data.code).toBe("impersonation_ended")

      const service = world.container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any
      const [row] = await service.listLoginAsCustomerSessions({ id: session.start.session_id })
      expect(row.ended_at).toBeTruthy()
      expect(row.end_reason).toBe("admin_revoked")

      // Once ended, it stays ended.
      const later = await failed(http.get("/store/login-as-customer/session", session.headers))
      expect(later.status).toBe(401)
      expect(later.data.code).toBe("impersonation_ended")

      // The admin's token still names the role (Medusa's admin tokens are
      // stateless), so a new start may pass the token-based check; but no
      // impersonation token may come of it: the exchange re-reads the roles.
      const start = await http
        .post(`/admin/customers/${world.jane.id}/login-as-customer`, {}, support.headers)
        .catch((error) => error.response)
      const refusal =
        start.status === 201
          ? await failed(
              http.post(
                "/store/login-as-customer/sessions",
                { ticket: ticketOf(start.data.redirect_url) },
                { headers: { "x-publishable-api-key": world.publishableKey } }
              )
            )
          : start
      expect(refusal.status).toBe(403)
      expect(refusal.data.code).toBe("permission_denied")
    })

    it("a ticket issued before the admin lost the policy can't be exchanged", async () => {
      const world = await setup()
      const support = await adminWith(world, "support@example.com", [CUSTOMER_READ, LOGIN])
      const start = await http.post(`/admin/customers/${world.jane.id}/login-as-customer`, {}, support.headers)
      expect(start.status).toBe(201)

      await http.delete(`/admin/rbac/roles/${support.role_id}/policies/${world.policies[LOGIN]}`, world.owner.headers)

      const exchanged = await failed(
        http.post(
          "/store/login-as-customer/sessions",
          { ticket: ticketOf(start.data.redirect_url) },
          { headers: { "x-publishable-api-key": world.publishableKey } }
        )
      )
      expect(exchanged.status).toBe(403)
      expect(exchanged.data.code).toBe("permission_denied")

      const service = world.container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any
      const [row] = await service.listLoginAsCustomerSessions({ id: start.data.session_id })
      expect(row.started_at).toBeNull()
      expect(row.end_reason).toBe("admin_revoked")
    })
  },
})
