import { ContainerRegistrationKeys, generateJwtToken } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { ticketOf } from "../../helpers/fixtures"
import {
  createAdmin,
  expectInvalidData,
  refused,
  refusedWithoutWrites,
  SETTLE_MS,
  sleep,
} from "../../helpers/seed"
import { assistanceLog, consentRow, customerFixtures, inDays, ROUTE, settledAssistanceLog } from "./consent-helpers"

/** The customer's consent route's limits: only one's own consent, strict validation, and no consent change while impersonated. */
export default function customerLimitsSuite(context: SuiteContext) {
  const { api, getContainer } = context
  const fx = customerFixtures(context)
  const { registerJohn, bearer } = fx

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
    await api.post(ROUTE, { allowed: true }, fx.jane.headers)
    const start = await api.post(`/admin/customers/${fx.jane.id}/login-as-customer`, {}, admin.headers)
    const exchanged = await api.post(
      "/store/login-as-customer/sessions",
      { ticket: ticketOf(start.data.redirect_url) },
      { headers: { "x-publishable-api-key": fx.publishableKey } }
    )
    return { admin, sessionId: exchanged.data.session.id as string, token: exchanged.data.token as string }
  }

  /** A customer token for jane carrying an impersonation claim, signed with the app's secret. */
  function mintImpersonationToken(sessionId: string, adminId: string) {
    const { jwtSecret } = getContainer().resolve(ContainerRegistrationKeys.CONFIG_MODULE).projectConfig.http
    return generateJwtToken(
      {
        actor_id: fx.jane.id,
        actor_type: "customer",
        auth_identity_id: "",
        app_metadata: {
          customer_id: fx.jane.id,
          login_as_customer: { session_id: sessionId, user_id: adminId },
        },
        act: { sub: adminId },
      },
      { secret: jwtSecret as string, expiresIn: "1h" }
    )
  }

  describe("ownership", () => {
    it("jane's token reads and writes only jane's consent", async () => {
      const container = getContainer()
      const john = await registerJohn()
      const johnExpires = inDays(5)
      await api.post(ROUTE, { allowed: true, expires_at: johnExpires }, john.headers)
      const johnBefore = await consentRow(container, john.id)

      // Jane sees her own (unset) consent, not john's.
      const read = await api.get(ROUTE, fx.jane.headers)
      expect(read.data.remote_assistance).toMatchObject({ allowed: false, expires_at: null })

      await api.post(ROUTE, { allowed: true }, fx.jane.headers)
      await api.post(ROUTE, { allowed: false }, fx.jane.headers)
      await settledAssistanceLog(container, fx.jane.id, 2)

      expect(await consentRow(container, john.id)).toEqual(johnBefore)
      expect(await consentRow(container, fx.jane.id)).toMatchObject({ customer_id: fx.jane.id, allowed: false })
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
        api.post(ROUTE, { allowed: false, customer_id: john.id }, fx.jane.headers)
      )
      expectInvalidData(res, "customer_id")
      expect(await consentRow(container, john.id)).toEqual(johnBefore)
      expect(await consentRow(container, fx.jane.id)).toBeNull()
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
      const res = await refusedWithoutWrites(container, () => api.post(ROUTE, body(), fx.jane.headers))
      expectInvalidData(res, field)
      expect(await consentRow(container, fx.jane.id)).toBeNull()
    })

    it("a refused change leaves existing consent as it was", async () => {
      const container = getContainer()
      const expiresAt = inDays(4)
      await api.post(ROUTE, { allowed: true, expires_at: expiresAt }, fx.jane.headers)
      await settledAssistanceLog(container, fx.jane.id, 1)
      const before = await consentRow(container, fx.jane.id)
      const res = await refusedWithoutWrites(container, () =>
        api.post(ROUTE, { allowed: false, expires_at: inDays(1) }, fx.jane.headers)
      )
      expectInvalidData(res, "expires_at")
      expect(await consentRow(container, fx.jane.id)).toEqual(before)
    })
  })

  describe("while impersonating", () => {
    it("refuses a consent change made in a live session (default restricted actions)", async () => {
      const container = getContainer()
      const { token } = await impersonateJane()
      const before = await consentRow(container, fx.jane.id)
      const res = await refused(api.post(ROUTE, { allowed: false }, bearer(token)))
      expect(res.status).toBe(403)
      expect(res.data.code).toBe("restricted_while_impersonating")
      await sleep(SETTLE_MS)
      expect(await consentRow(container, fx.jane.id)).toEqual(before)
    })

    it("follows restricted_actions: without change_remote_assistance the change is the admin's, within the consent mode", async () => {
      const container = getContainer()
      const { admin, sessionId } = await impersonateJane({ restricted_actions: ["change_email"], consent_mode: "customer_only" })
      const token = mintImpersonationToken(sessionId, admin.id)
      const read = await api.get(ROUTE, bearer(token))
      expect(read.data.remote_assistance.allowed).toBe(true)

      // customer_only: an admin may not give consent, even logged in as the customer...
      const before = await consentRow(container, fx.jane.id)
      const give = await refused(api.post(ROUTE, { allowed: true, expires_at: inDays(1) }, bearer(token)))
      expect({ status: give.status, code: give.data.code }).toEqual({ status: 403, code: "consent_by_customer_only" })
      expect(await consentRow(container, fx.jane.id)).toEqual(before)

      // ...but may withdraw it: on record as the admin's change, which ends the session.
      const withdrawn = await api.post(ROUTE, { allowed: false }, bearer(token))
      expect(withdrawn.data.remote_assistance.allowed).toBe(false)
      const log = await settledAssistanceLog(container, fx.jane.id, 2)
      expect(log[log.length - 1]).toMatchObject({ actor_type: "user", actor_id: admin.id })
      const after = await refused(api.get(ROUTE, bearer(token)))
      expect({ status: after.status, code: after.data.code }).toEqual({ status: 401, code: "impersonation_ended" })
    })

    it("a token naming a session that does not exist is refused before it can change anything", async () => {
      const container = getContainer()
      const admin = await createAdmin(api, container)
      await api.post(ROUTE, { allowed: true }, fx.jane.headers)
      await settledAssistanceLog(container, fx.jane.id, 1)
      const before = await consentRow(container, fx.jane.id)
      const token = mintImpersonationToken("lacs_x", admin.id)

      const res = await refusedWithoutWrites(container, () =>
        api.post(ROUTE, { allowed: false }, bearer(token))
      )
      // The store guard answers first: there is no live session behind the claim.
      expect(res.status).toBe(401)
      expect(res.data.code).toBe("impersonation_ended")
      expect(await consentRow(container, fx.jane.id)).toEqual(before)
    })
  })
}
