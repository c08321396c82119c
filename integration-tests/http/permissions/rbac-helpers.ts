import Medusa from "@medusajs/js-sdk"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { jwtPayload, LOGIN_URL, Store } from "../../helpers/fixtures"
import { Actor, createAdmin, createPublishableKey, PASSWORD, registerCustomer } from "../../helpers/seed"
import type { SuiteContext } from "../../helpers/suite"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"

export type Api = Parameters<typeof createAdmin>[0] & { defaults: { baseURL?: string } }

export const LOGIN = "login_as_customer:allow"
export const VIEW_LOG = "login_as_customer_log:read"
export const MANAGE = "login_as_customer_settings:update"
/** Core policy every /admin/customers/* route needs (node_modules/@medusajs/medusa/dist/api/admin/customers/middlewares.js). */
export const CUSTOMER_READ = "customer:read"

/** Medusa's initial-data loader (node_modules/@medusajs/rbac/dist/loaders/initial-data.js): policy `*:*`. */
export const SUPER_ADMIN_ROLE = "role_super_admin"

export type Admin = Actor & { role_id: string }

export type World = {
  container: MedusaContainer
  owner: Actor
  publishableKey: string
  jane: Actor
  john: Actor
  /** Policy id by key (`resource:operation`). */
  policies: Record<string, string>
}

/**
 * What every RBAC suite works with: logging in, a world (an owner with the
 * Super Admin role, a storefront key, jane and john, the feature enabled),
 * admins with a role of chosen policies, the fixtures' Store shape for them,
 * and the refusals logged for an admin.
 */
export function rbacFixtures({ api, getContainer }: SuiteContext) {
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

  return { http, login, setup, adminWith, storeFor, deniedLogEntries }
}
