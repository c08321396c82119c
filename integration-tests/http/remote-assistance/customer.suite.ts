import { ContainerRegistrationKeys, generateJwtToken } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { SuiteContext } from "../../helpers/suite"
import { prepareCart, setupCatalog } from "../../helpers/checkout"
import { ticketOf } from "../../helpers/fixtures"
import {
  Actor,
  createAdmin,
  createPublishableKey,
  eventually,
  expectInvalidData,
  refused,
  refusedWithoutWrites,
  registerCustomer,
  SETTLE_MS,
  sleep,
  snapshotPluginTables,
} from "../../helpers/seed"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"
import { assistanceLog, consentRow, settledAssistanceLog } from "./consent-helpers"

const ROUTE = "/store/customers/me/remote-assistance"
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString()

export default function customerSuite({ api, getContainer }: SuiteContext) {
  let publishableKey: string
  let jane: Actor

  beforeEach(async () => {
    publishableKey = await createPublishableKey(getContainer())
    jane = await registerCustomer(api, publishableKey, "jane@example.com", { first_name: "Jane" })
  })

  const registerJohn = () =>
    registerCustomer(api, publishableKey, "john@example.com", { first_name: "John" })

  /** An admin, the feature on with one storefront, jane's consent, and a live impersonation of jane. */
  async function impersonateJane(settings: Record<string, unknown> = {}) {
    const container = getContainer()
    const admin = await createAdmin(api, container)
    await api.post(
      "/admin/login-as-customer/settings",
      {
        enabled: true,
        storefronts: [{ id: "main", name: "Main", login_url: "https://shop.example.com/assist" }],
        ...settings,
      },
      admin.headers
    )
    await api.post(ROUTE, { allowed: true }, jane.headers)
    const start = await api.post(`/admin/customers/${jane.id}/login-as-customer`, {}, admin.headers)
    const exchanged = await api.post(
      "/store/login-as-customer/sessions",
      { ticket: ticketOf(start.data.redirect_url) },
      { headers: { "x-publishable-api-key": publishableKey } }
    )
    return { admin, sessionId: exchanged.data.session.id as string, token: exchanged.data.token as string }
  }

  /** A customer token for jane carrying an impersonation claim, signed with the app's secret. */
  function mintImpersonationToken(sessionId: string, adminId: string) {
    const { jwtSecret } = getContainer().resolve(ContainerRegistrationKeys.CONFIG_MODULE).projectConfig.http
    return generateJwtToken(
      {
        actor_id: jane.id,
        actor_type: "customer",
        auth_identity_id: "",
        app_metadata: {
          customer_id: jane.id,
          login_as_customer: { session_id: sessionId, user_id: adminId },
        },
        act: { sub: adminId },
      },
      { secret: jwtSecret as string, expiresIn: "1h" }
    )
  }

  const bearer = (token: string) => ({
    headers: { "x-publishable-api-key": publishableKey, authorization: `Bearer ${token}` },
  })

  describe("GET", () => {
    it("shows a customer who never chose: not allowed, no history, and writes nothing", async () => {
      const container = getContainer()
      const before = await snapshotPluginTables(container)
      const res = await api.get(ROUTE, jane.headers)
      expect(res.status).toBe(200)
      expect(res.data).toEqual({
        remote_assistance: {
          allowed: false,
          expires_at: null,
          active: false,
          updated_by_type: null,
          updated_at: null,
        },
        sessions: [],
        count: 0,
        offset: 0,
        limit: 20,
      })
      await sleep(SETTLE_MS)
      expect(await snapshotPluginTables(container)).toBe(before)
      expect(await consentRow(container, jane.id)).toBeNull()
    })
  })

  describe("GET history", () => {
    /** An admin, the feature on, jane's consent: a helper that runs one assisted session. */
    async function assistJane() {
      const container = getContainer()
      const admin = await createAdmin(api, container)
      await api.post(
        "/admin/login-as-customer/settings",
        {
          enabled: true,
          storefronts: [{ id: "main", name: "Main", login_url: "https://shop.example.com/assist" }],
        },
        admin.headers
      )
      await api.post(ROUTE, { allowed: true }, jane.headers)
      const session = async (body: Record<string, unknown> = {}) => {
        const start = await api.post(`/admin/customers/${jane.id}/login-as-customer`, body, admin.headers)
        const exchanged = await api.post(
          "/store/login-as-customer/sessions",
          { ticket: ticketOf(start.data.redirect_url) },
          { headers: { "x-publishable-api-key": publishableKey } }
        )
        return { id: exchanged.data.session.id as string, token: exchanged.data.token as string }
      }
      const end = (id: string) => api.post(`/admin/login-as-customer/sessions/${id}/end`, {}, admin.headers)
      return { admin, session, end }
    }

    it("pages the history newest first with limit, offset and count", async () => {
      const { session, end } = await assistJane()
      const ids: string[] = []
      for (let i = 0; i < 5; i++) {
        const { id } = await session({ reason: `Ticket ${i}` })
        await end(id)
        ids.unshift(id)
      }
      const first = await api.get(`${ROUTE}?limit=2`, jane.headers)
      expect(first.status).toBe(200)
      expect({ count: first.data.count, offset: first.data.offset, limit: first.data.limit }).toEqual({
        count: 5,
        offset: 0,
        limit: 2,
      })
      expect(first.data.sessions.map((s: { id: string }) => s.id)).toEqual(ids.slice(0, 2))
      const second = await api.get(`${ROUTE}?limit=2&offset=2`, jane.headers)
      expect(second.data.sessions.map((s: { id: string }) => s.id)).toEqual(ids.slice(2, 4))
      const last = await api.get(`${ROUTE}?limit=2&offset=4`, jane.headers)
      expect(last.data).toMatchObject({ count: 5, offset: 4, limit: 2 })
      expect(last.data.sessions.map((s: { id: string }) => s.id)).toEqual(ids.slice(4))
      const beyond = await api.get(`${ROUTE}?offset=10`, jane.headers)
      expect(beyond.data).toMatchObject({ sessions: [], count: 5, offset: 10, limit: 20 })
      // Another customer's history is not hers to page through.
      const john = await registerJohn()
      expect((await api.get(ROUTE, john.headers)).data).toMatchObject({ sessions: [], count: 0 })
    })

    const badQueries: Array<[string, string]> = [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=ten", "limit"],
      ["limit=1.5", "limit"],
      ["offset=-1", "offset"],
      ["offset=abc", "offset"],
      ["limit=1&limit=2", "limit"],
      ["customer_id=cus_other", "customer_id"],
    ]
    it.each(badQueries)("refuses ?%s with 400 naming the field", async (query, field) => {
      const res = await refused(api.get(`${ROUTE}?${query}`, jane.headers))
      expectInvalidData(res, field)
    })

    it("shows the mode, who ended each session, and the orders by the number the customer knows", async () => {
      const container = getContainer()
      const catalog = await setupCatalog(container, publishableKey)
      const { session, end } = await assistJane()

      // Ended by the store, in read-only mode.
      const readOnly = await session({ mode: "read_only", reason: "Look only" })
      await end(readOnly.id)

      // Time ran out: nobody used it after its expiry, then a request meets the guard.
      const lapsed = await session({ reason: "Lapsed" })
      await (container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any).updateLoginAsCustomerSessions({
        id: lapsed.id,
        expires_at: new Date(Date.now() - 1000),
      })
      const beforeGuard = (await api.get(ROUTE, jane.headers)).data.sessions[0]
      expect(beforeGuard).toMatchObject({ id: lapsed.id, ended_at: null, ended_by: "expired" })
      expect((await refused(api.get("/store/customers/me", bearer(lapsed.token)))).data.code).toBe(
        "impersonation_ended"
      )

      // An order placed in the session, then the customer withdraws consent.
      const withOrder = await session({ reason: "Order for jane" })
      const cartId = await prepareCart(api, bearer(withOrder.token), catalog)
      const completed = await api.post(`/store/carts/${cartId}/complete`, {}, bearer(withOrder.token))
      expect(completed.data.type).toBe("order")
      const order = completed.data.order
      await eventually(async () => {
        const { sessions } = (await api.get(ROUTE, jane.headers)).data
        return sessions[0]?.orders?.length > 0
      })
      await api.post(ROUTE, { allowed: false }, jane.headers)

      const { data } = await api.get(ROUTE, jane.headers)
      expect(data.count).toBe(3)
      const [ordered, expired, ended] = data.sessions
      expect(ordered).toMatchObject({
        id: withOrder.id,
        mode: "full",
        reason: "Order for jane",
        end_reason: "consent_withdrawn",
        ended_by: "customer",
        order_ids: [order.id],
        orders: [{ id: order.id, display_id: order.display_id }],
      })
      expect(typeof order.display_id).toBe("number")
      expect(expired).toMatchObject({ id: lapsed.id, end_reason: "expired", ended_by: "expired", orders: [] })
      expect(expired.ended_at).not.toBeNull()
      expect(ended).toMatchObject({
        id: readOnly.id,
        mode: "read_only",
        end_reason: "ended_by_admin",
        ended_by: "store",
        admin: { first_name: "Ada" },
      })
    })
  })

  describe("POST", () => {
    it("gives consent with a future expires_at, and GET shows it", async () => {
      const expiresAt = inDays(7)
      const res = await api.post(ROUTE, { allowed: true, expires_at: expiresAt }, jane.headers)
      expect(res.status).toBe(200)
      expect(res.data).toEqual({
        remote_assistance: {
          allowed: true,
          expires_at: expiresAt,
          active: true,
          updated_by_type: "customer",
          updated_at: expect.any(String),
        },
      })
      expect(Number.isNaN(Date.parse(res.data.remote_assistance.updated_at))).toBe(false)

      const read = await api.get(ROUTE, jane.headers)
      expect(read.data.remote_assistance).toEqual(res.data.remote_assistance)
      expect(read.data.sessions).toEqual([])

      const row = await consentRow(getContainer(), jane.id)
      expect(row).toMatchObject({
        customer_id: jane.id,
        allowed: true,
        updated_by_type: "customer",
        updated_by_id: jane.id,
      })
      expect(new Date(row.expires_at).toISOString()).toBe(expiresAt)
    })

    it("gives open-ended consent when expires_at is left out or null", async () => {
      const res = await api.post(ROUTE, { allowed: true }, jane.headers)
      expect(res.data.remote_assistance).toMatchObject({ allowed: true, expires_at: null, active: true })
      const again = await api.post(ROUTE, { allowed: true, expires_at: null }, jane.headers)
      expect(again.data.remote_assistance).toMatchObject({ allowed: true, expires_at: null, active: true })
    })

    it("withdrawing consent clears expires_at", async () => {
      await api.post(ROUTE, { allowed: true, expires_at: inDays(3) }, jane.headers)
      const res = await api.post(ROUTE, { allowed: false }, jane.headers)
      expect(res.status).toBe(200)
      expect(res.data.remote_assistance).toMatchObject({
        allowed: false,
        expires_at: null,
        active: false,
        updated_by_type: "customer",
      })
      const read = await api.get(ROUTE, jane.headers)
      expect(read.data.remote_assistance).toMatchObject({ allowed: false, expires_at: null })
      const row = await consentRow(getContainer(), jane.id)
      expect(row).toMatchObject({ allowed: false, expires_at: null })
    })

    it("logs each change exactly once, with the customer as actor and what it was before", async () => {
      const container = getContainer()
      const expiresAt = inDays(2)
      await api.post(ROUTE, { allowed: true, expires_at: expiresAt }, jane.headers)
      const [first] = await settledAssistanceLog(container, jane.id, 1).then((rows) => {
        expect(rows).toHaveLength(1)
        return rows
      })
      expect(first).toMatchObject({
        action: "assistance_updated",
        actor_type: "customer",
        actor_id: jane.id,
        user_id: null,
        user_email: null,
        customer_id: jane.id,
        customer_email: "jane@example.com",
        session_id: null,
        details: { allowed: true, expires_at: expiresAt, previous: null, changed_by: "customer" },
      })

      await api.post(ROUTE, { allowed: false }, jane.headers)
      const rows = await settledAssistanceLog(container, jane.id, 2)
      expect(rows).toHaveLength(2)
      expect(rows[1]).toMatchObject({
        actor_type: "customer",
        actor_id: jane.id,
        customer_email: "jane@example.com",
        details: {
          allowed: false,
          expires_at: null,
          previous: { allowed: true, expires_at: expiresAt },
          changed_by: "customer",
        },
      })
    })
  })

  describe("ownership", () => {
    it("jane's token reads and writes only jane's consent", async () => {
      const container = getContainer()
      const john = await registerJohn()
      const johnExpires = inDays(5)
      await api.post(ROUTE, { allowed: true, expires_at: johnExpires }, john.headers)
      const johnBefore = await consentRow(container, john.id)

      // Jane sees her own (unset) consent, not john's.
      const read = await api.get(ROUTE, jane.headers)
      expect(read.data.remote_assistance).toMatchObject({ allowed: false, expires_at: null })

      await api.post(ROUTE, { allowed: true }, jane.headers)
      await api.post(ROUTE, { allowed: false }, jane.headers)
      await settledAssistanceLog(container, jane.id, 2)

      expect(await consentRow(container, john.id)).toEqual(johnBefore)
      expect(await consentRow(container, jane.id)).toMatchObject({ customer_id: jane.id, allowed: false })
      const johnView = await api.get(ROUTE, john.headers)
      expect(johnView.data.remote_assistance).toMatchObject({ allowed: true, expires_at: johnExpires })
      // No log row about john came from jane's requests.
      expect(await assistanceLog(container, john.id)).toHaveLength(1)
    })

    it("refuses a body naming another customer, and writes nothing", async () => {
      const container = getContainer()
      const john = await registerJohn()
      await api.post(ROUTE, { allowed: true }, john.headers)
      await settledAssistanceLog(container, john.id, 1)
      const johnBefore = await consentRow(container, john.id)

      const res = await refusedWithoutWrites(container, () =>
        api.post(ROUTE, { allowed: false, customer_id: john.id }, jane.headers)
      )
      expectInvalidData(res, "customer_id")
      expect(await consentRow(container, john.id)).toEqual(johnBefore)
      expect(await consentRow(container, jane.id)).toBeNull()
    })
  })

  describe("validation", () => {
    const bad: Array<[string, () => Record<string, unknown>, string]> = [
      ["missing allowed", () => ({}), "allowed"],
      ["allowed as a string", () => ({ allowed: "true" }), "allowed"],
      ["allowed as a number", () => ({ allowed: 1 }), "allowed"],
      ["allowed null", () => ({ allowed: null }), "allowed"],
      ["an unknown field", () => ({ allowed: true, note: "hi" }), "note"],
      ["expires_at in the past", () => ({ allowed: true, expires_at: "2020-01-01T00:00:00.000Z" }), "expires_at"],
      ["unparsable expires_at", () => ({ allowed: true, expires_at: "next tuesday" }), "expires_at"],
      ["expires_at as a number", () => ({ allowed: true, expires_at: 1893456000000 }), "expires_at"],
      ["expires_at with allowed false", () => ({ allowed: false, expires_at: inDays(1) }), "expires_at"],
    ]

    it.each(bad)("refuses %s with 400 naming the field, and writes nothing", async (_name, body, field) => {
      const container = getContainer()
      const res = await refusedWithoutWrites(container, () => api.post(ROUTE, body(), jane.headers))
      expectInvalidData(res, field)
      expect(await consentRow(container, jane.id)).toBeNull()
    })

    it("a refused change leaves existing consent as it was", async () => {
      const container = getContainer()
      const expiresAt = inDays(4)
      await api.post(ROUTE, { allowed: true, expires_at: expiresAt }, jane.headers)
      await settledAssistanceLog(container, jane.id, 1)
      const before = await consentRow(container, jane.id)
      const res = await refusedWithoutWrites(container, () =>
        api.post(ROUTE, { allowed: false, expires_at: inDays(1) }, jane.headers)
      )
      expectInvalidData(res, "expires_at")
      expect(await consentRow(container, jane.id)).toEqual(before)
    })
  })

  describe("while impersonating", () => {
    it("refuses a consent change made in a live session (default restricted actions)", async () => {
      const container = getContainer()
      const { token } = await impersonateJane()
      const before = await consentRow(container, jane.id)
      const res = await refused(api.post(ROUTE, { allowed: false }, bearer(token)))
      expect(res.status).toBe(403)
      expect(res.data.code).toBe("restricted_while_impersonating")
      await sleep(SETTLE_MS)
      expect(await consentRow(container, jane.id)).toEqual(before)
    })

    it("follows restricted_actions: without change_remote_assistance the change is the admin's, within the consent mode", async () => {
      const container = getContainer()
      const { admin, sessionId } = await impersonateJane({ restricted_actions: ["change_email"], consent_mode: "customer_only" })
      const token = mintImpersonationToken(sessionId, admin.id)
      const read = await api.get(ROUTE, bearer(token))
      expect(read.data.remote_assistance.allowed).toBe(true)

      // customer_only: an admin may not give consent, even logged in as the customer...
      const before = await consentRow(container, jane.id)
      const give = await refused(api.post(ROUTE, { allowed: true, expires_at: inDays(1) }, bearer(token)))
      expect({ status: give.status, code: give.data.code }).toEqual({ status: 403, code: "consent_by_customer_only" })
      expect(await consentRow(container, jane.id)).toEqual(before)

      // ...but may withdraw it: on record as the admin's change, which ends the session.
      const withdrawn = await api.post(ROUTE, { allowed: false }, bearer(token))
      expect(withdrawn.data.remote_assistance.allowed).toBe(false)
      const log = await settledAssistanceLog(container, jane.id, 2)
      expect(log[log.length - 1]).toMatchObject({ actor_type: "user", actor_id: admin.id })
      const after = await refused(api.get(ROUTE, bearer(token)))
      expect({ status: after.status, code: after.data.code }).toEqual({ status: 401, code: "impersonation_ended" })
    })

    it("a token naming a session that does not exist is refused before it can change anything", async () => {
      const container = getContainer()
      const admin = await createAdmin(api, container)
      await api.post(ROUTE, { allowed: true }, jane.headers)
      await settledAssistanceLog(container, jane.id, 1)
      const before = await consentRow(container, jane.id)
      const token = mintImpersonationToken("lacs_x", admin.id)

      const res = await refusedWithoutWrites(container, () =>
        api.post(ROUTE, { allowed: false }, bearer(token))
      )
      // The store guard answers first: there is no live session behind the claim.
      expect(res.status).toBe(401)
      expect(res.data.code).toBe("impersonation_ended")
      expect(await consentRow(container, jane.id)).toEqual(before)
    })
  })
}
