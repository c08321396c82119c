import { Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { SuiteContext } from "../../helpers/suite"
import {
  Actor,
  createAdmin,
  createPublishableKey,
  eventually,
  expectInvalidData,
  refusedWithoutWrites,
  registerCustomer,
  SETTLE_MS,
  sleep,
  snapshotPluginTables,
} from "../../helpers/seed"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"
import { assistanceLog, consentRow, settledAssistanceLog } from "./consent-helpers"

const STORE_ROUTE = "/store/customers/me/remote-assistance"
const widget = (customerId: string) => `/admin/customers/${customerId}/login-as-customer`
const consentRoute = (customerId: string) => `/admin/customers/${customerId}/login-as-customer/remote-assistance`
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString()
const STOREFRONT = { id: "main", name: "Main store", login_url: "https://shop.example.com/assist" }

const service = (container: MedusaContainer) => container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any

export default function adminSuite({ api, getContainer }: SuiteContext) {
  let admin: Actor
  let publishableKey: string
  let jane: Actor

  beforeEach(async () => {
    const container = getContainer()
    admin = await createAdmin(api, container)
    publishableKey = await createPublishableKey(container)
    jane = await registerCustomer(api, publishableKey, "jane@example.com")
  })

  const saveSettings = (settings: Record<string, unknown>) =>
    api.post("/admin/login-as-customer/settings", settings, admin.headers)
  const enable = (settings: Record<string, unknown> = {}) =>
    saveSettings({ enabled: true, storefronts: [STOREFRONT], ...settings })

  describe("GET /admin/customers/:id/login-as-customer", () => {
    it("with the default settings: the feature is off, and the read writes nothing", async () => {
      const container = getContainer()
      const before = await snapshotPluginTables(container)
      const res = await api.get(widget(jane.id), admin.headers)
      expect(res.status).toBe(200)
      expect(res.data).toMatchObject({
        remote_assistance: {
          allowed: false,
          expires_at: null,
          active: false,
          updated_by_type: null,
          updated_at: null,
        },
        can_login: false,
        reason: "feature_disabled",
        storefronts: [],
        active_sessions: [],
      })
      await sleep(SETTLE_MS)
      expect(await snapshotPluginTables(container)).toBe(before)
    })

    it("the feature on but no consent: assistance_not_allowed", async () => {
      await enable()
      const res = await api.get(widget(jane.id), admin.headers)
      expect(res.data).toMatchObject({ can_login: false, reason: "assistance_not_allowed" })
      expect(res.data.remote_assistance.allowed).toBe(false)
    })

    it("withdrawn consent: assistance_not_allowed", async () => {
      await enable()
      await api.post(STORE_ROUTE, { allowed: true }, jane.headers)
      await api.post(STORE_ROUTE, { allowed: false }, jane.headers)
      const res = await api.get(widget(jane.id), admin.headers)
      expect(res.data).toMatchObject({ can_login: false, reason: "assistance_not_allowed" })
    })

    it("consent whose expires_at has passed: assistance_expired", async () => {
      const container = getContainer()
      await enable()
      await api.post(STORE_ROUTE, { allowed: true, expires_at: inDays(1) }, jane.headers)
      const row = await consentRow(container, jane.id)
      const passed = new Date(Date.now() - 60_000)
      await service(container).updateRemoteAssistances({ id: row.id, expires_at: passed })

      const res = await api.get(widget(jane.id), admin.headers)
      expect(res.data).toMatchObject({
        remote_assistance: { allowed: true, expires_at: passed.toISOString(), active: false },
        can_login: false,
        reason: "assistance_expired",
      })
    })

    it("a customer without an account: customer_has_no_account", async () => {
      const container = getContainer()
      await enable()
      const guest = await container
        .resolve(Modules.CUSTOMER)
        .createCustomers({ email: "guest@example.com", has_account: false })
      const res = await api.get(widget(guest.id), admin.headers)
      expect(res.status).toBe(200)
      expect(res.data).toMatchObject({ can_login: false, reason: "customer_has_no_account" })
    })

    it("the feature on with no storefront: storefront_not_found", async () => {
      await saveSettings({ enabled: true })
      await api.post(STORE_ROUTE, { allowed: true }, jane.headers)
      const res = await api.get(widget(jane.id), admin.headers)
      expect(res.data).toMatchObject({ can_login: false, reason: "storefront_not_found", storefronts: [] })
    })

    it("everything in place: can_login true, reason null, the storefronts without their URLs", async () => {
      await enable()
      await api.post(STORE_ROUTE, { allowed: true }, jane.headers)
      const res = await api.get(widget(jane.id), admin.headers)
      expect(res.status).toBe(200)
      expect(res.data).toMatchObject({
        remote_assistance: {
          allowed: true,
          expires_at: null,
          active: true,
          updated_by_type: "customer",
          updated_at: expect.any(String),
        },
        can_login: true,
        reason: null,
        storefronts: [{ id: "main", name: "Main store", sales_channel_id: null }],
        active_sessions: [],
      })
      expect(res.data.storefronts[0]).not.toHaveProperty("login_url")
    })

    it("lists the sessions in progress on the customer", async () => {
      await enable()
      await api.post(STORE_ROUTE, { allowed: true }, jane.headers)
      const start = await api.post(widget(jane.id), { reason: "Ticket 42" }, admin.headers)
      const res = await api.get(widget(jane.id), admin.headers)
      expect(res.data.active_sessions).toEqual([
        expect.objectContaining({
          id: start.data.session_id,
          user_id: admin.id,
          customer_id: jane.id,
          reason: "Ticket 42",
          admin: expect.objectContaining({ id: admin.id, email: admin.email }),
        }),
      ])
    })

    it("an unknown customer: 404 customer_not_found", async () => {
      const res = await refusedWithoutWrites(getContainer(), () =>
        api.get(widget("cus_does_not_exist"), admin.headers)
      )
      expect({ status: res.status, ...res.data }).toEqual({
        status: 404,
        type: "not_found",
        code: "customer_not_found",
        message: expect.stringContaining("cus_does_not_exist"),
      })
    })
  })

  describe("POST /admin/customers/:id/login-as-customer/remote-assistance", () => {
    it("an admin gives time-boxed consent; the customer sees it; one log row names the admin", async () => {
      const container = getContainer()
      const expiresAt = inDays(2)
      const res = await api.post(consentRoute(jane.id), { allowed: true, expires_at: expiresAt }, admin.headers)
      expect(res.status).toBe(200)
      expect(res.data).toEqual({
        remote_assistance: {
          allowed: true,
          expires_at: expiresAt,
          active: true,
          updated_by_type: "user",
          updated_at: expect.any(String),
        },
      })
      expect(await consentRow(container, jane.id)).toMatchObject({
        customer_id: jane.id,
        allowed: true,
        updated_by_type: "user",
        updated_by_id: admin.id,
      })
      const mine = await api.get(STORE_ROUTE, jane.headers)
      expect(mine.data.remote_assistance).toMatchObject({ allowed: true, expires_at: expiresAt, updated_by_type: "user" })

      const rows = await settledAssistanceLog(container, jane.id, 1)
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({
        action: "assistance_updated",
        actor_type: "user",
        actor_id: admin.id,
        user_id: admin.id,
        user_email: admin.email,
        customer_id: jane.id,
        customer_email: "jane@example.com",
        details: { allowed: true, expires_at: expiresAt, previous: null, changed_by: "user" },
      })
    })

    it("an admin withdraws consent: expires_at is cleared and the log says what it was", async () => {
      const container = getContainer()
      const expiresAt = inDays(3)
      await api.post(STORE_ROUTE, { allowed: true, expires_at: expiresAt }, jane.headers)
      await settledAssistanceLog(container, jane.id, 1)

      const res = await api.post(consentRoute(jane.id), { allowed: false }, admin.headers)
      expect(res.data.remote_assistance).toMatchObject({
        allowed: false,
        expires_at: null,
        active: false,
        updated_by_type: "user",
      })
      const rows = await settledAssistanceLog(container, jane.id, 2)
      expect(rows).toHaveLength(2)
      expect(rows[1]).toMatchObject({
        actor_type: "user",
        actor_id: admin.id,
        user_email: admin.email,
        customer_email: "jane@example.com",
        details: { allowed: false, expires_at: null, previous: { allowed: true, expires_at: expiresAt } },
      })
    })

    it("an unknown customer: 404 customer_not_found, nothing written", async () => {
      const res = await refusedWithoutWrites(getContainer(), () =>
        api.post(consentRoute("cus_does_not_exist"), { allowed: true }, admin.headers)
      )
      expect(res.status).toBe(404)
      expect(res.data).toMatchObject({ type: "not_found", code: "customer_not_found" })
    })

    describe("consent_mode customer_only", () => {
      it("an admin may not give consent: 403 consent_by_customer_only, nothing written", async () => {
        const container = getContainer()
        await saveSettings({ consent_mode: "customer_only" })
        await eventually(async () =>
          (await service(container).listLoginAsCustomerLogEntries({ action: "settings_updated" })).length
        )
        for (const body of [{ allowed: true }, { allowed: true, expires_at: inDays(1) }]) {
          const res = await refusedWithoutWrites(container, () => api.post(consentRoute(jane.id), body, admin.headers))
          expect({ status: res.status, ...res.data }).toEqual({
            status: 403,
            type: "forbidden",
            code: "consent_by_customer_only",
            message: expect.any(String),
          })
        }
        expect(await consentRow(container, jane.id)).toBeNull()
      })

      it("an admin may still withdraw it", async () => {
        const container = getContainer()
        await saveSettings({ consent_mode: "customer_only" })
        await api.post(STORE_ROUTE, { allowed: true }, jane.headers)
        const res = await api.post(consentRoute(jane.id), { allowed: false }, admin.headers)
        expect(res.status).toBe(200)
        expect(res.data.remote_assistance).toMatchObject({ allowed: false, updated_by_type: "user" })
        expect(await consentRow(container, jane.id)).toMatchObject({ allowed: false, updated_by_id: admin.id })
      })
    })

    describe("validation", () => {
      const bad: Array<[string, () => Record<string, unknown>, string]> = [
        ["missing allowed", () => ({}), "allowed"],
        ["allowed as a string", () => ({ allowed: "false" }), "allowed"],
        ["an unknown field", () => ({ allowed: true, customer_id: "cus_other" }), "customer_id"],
        ["expires_at in the past", () => ({ allowed: true, expires_at: "2020-01-01T00:00:00.000Z" }), "expires_at"],
        ["unparsable expires_at", () => ({ allowed: true, expires_at: "soon" }), "expires_at"],
        ["expires_at with allowed false", () => ({ allowed: false, expires_at: inDays(1) }), "expires_at"],
      ]

      it.each(bad)("refuses %s with 400 naming the field, and writes nothing", async (_name, body, field) => {
        const res = await refusedWithoutWrites(getContainer(), () =>
          api.post(consentRoute(jane.id), body(), admin.headers)
        )
        expectInvalidData(res, field)
      })
    })
  })
}
