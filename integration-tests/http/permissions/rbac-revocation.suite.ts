import { impersonate, ticketOf } from "../../helpers/fixtures"
import { eventually, refused as failed } from "../../helpers/seed"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"
import { CUSTOMER_READ, LOGIN, rbacFixtures } from "./rbac-helpers"
import type { SuiteContext } from "../../helpers/suite"

/** With RBAC on: a policy or role taken away ends the admin's sessions and stops its tickets. */
export default function rbacRevocationSuite(context: SuiteContext) {
  const { http, setup, adminWith, storeFor } = rbacFixtures(context)
  type World = Awaited<ReturnType<typeof setup>>

  /** The storefront exchanging the ticket of a start's redirect URL. */
  const exchange = (world: World, redirectUrl: string) =>
    http.post(
      "/store/login-as-customer/sessions",
      { ticket: ticketOf(redirectUrl) },
      { headers: { "x-publishable-api-key": world.publishableKey } }
    )

  /** The session's next store request is refused as ended, and the session ended with `admin_revoked`. */
  async function expectRevoked(world: World, session: Awaited<ReturnType<typeof impersonate>>) {
    const after = await failed(http.get("/store/customers/me", session.headers))
    expect(after.status).toBe(401)
    expect(after.data.code).toBe("impersonation_ended")

    const service = world.container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any
    const [row] = await service.listLoginAsCustomerSessions({ id: session.start.session_id })
    expect(row.ended_at).toBeTruthy()
    expect(row.end_reason).toBe("admin_revoked")
    return service
  }

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

    const service = await expectRevoked(world, session)

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

    await expectRevoked(world, session)

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
        ? await failed(exchange(world, start.data.redirect_url))
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

    const exchanged = await failed(exchange(world, start.data.redirect_url))
    expect(exchanged.status).toBe(403)
    expect(exchanged.data.code).toBe("permission_denied")

    const service = world.container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any
    const [row] = await service.listLoginAsCustomerSessions({ id: start.data.session_id })
    expect(row.started_at).toBeNull()
    expect(row.end_reason).toBe("admin_revoked")
  })
}
