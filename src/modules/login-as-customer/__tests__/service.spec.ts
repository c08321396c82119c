import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { LOGIN_AS_CUSTOMER_MODULE } from ".."
import AdminGrant from "../models/admin-grant"
import LogEntry from "../models/log-entry"
import RemoteAssistance from "../models/remote-assistance"
import Session from "../models/session"
import Settings from "../models/settings"
import Ticket from "../models/ticket"
import LoginAsCustomerModuleService from "../service"

jest.setTimeout(60_000)

moduleIntegrationTestRunner<LoginAsCustomerModuleService>({
  moduleName: LOGIN_AS_CUSTOMER_MODULE,
  moduleModels: [RemoteAssistance, Settings, AdminGrant, Ticket, Session, LogEntry],
  resolve: "./src/modules/login-as-customer",
  moduleOptions: {
    ticket_ttl_seconds: 30,
    storefronts: [{ name: "Main Store", login_url: "https://shop.example.com/" }],
  },
  testSuite: ({ service }) => {
    describe("settings", () => {
      it("starts from the defaults merged with the plugin options, without writing", async () => {
        const settings = await service.getSettings()
        expect(settings).toMatchObject({
          enabled: false,
          disable_page_cache: true,
          store_selection: "auto",
          ticket_ttl_seconds: 30,
          session_ttl_seconds: 3600,
          access: "all_admins",
          consent_mode: "customer_or_admin",
          require_reason: false,
          notify_customer: false,
          storefronts: [
            { id: "main-store", name: "Main Store", sales_channel_id: null, login_url: "https://shop.example.com/" },
          ],
          updated_at: null,
        })
        expect(await service.listLoginAsCustomerSettings()).toHaveLength(0)
      })

      it("saves a partial update on top of the current settings", async () => {
        const first = await service.saveSettings({ enabled: true })
        expect(first.previous.enabled).toBe(false)
        expect(first.current).toMatchObject({ enabled: true, ticket_ttl_seconds: 30 })
        expect(first.current.updated_at).toBeTruthy()

        const second = await service.saveSettings({ session_ttl_seconds: 600 })
        expect(second.previous.enabled).toBe(true)
        expect(second.current).toMatchObject({ enabled: true, session_ttl_seconds: 600 })
        expect(await service.listLoginAsCustomerSettings()).toHaveLength(1)
      })

      it("gives storefronts without an id a unique one", async () => {
        const { current } = await service.saveSettings({
          storefronts: [
            { name: "Shop", login_url: "https://a.example.com/" },
            { name: "Shop", login_url: "https://b.example.com/" },
            { id: "shop-2", name: "Other", login_url: "https://c.example.com/" },
          ],
        })
        expect(current.storefronts.map((s) => s.id)).toEqual(["shop", "shop-3", "shop-2"])
      })

      it("keeps one settings row under concurrent first saves", async () => {
        await Promise.all([
          service.saveSettings({ enabled: true }),
          service.saveSettings({ require_reason: true }),
          service.saveSettings({ notify_customer: true }),
        ])
        const rows = await service.listLoginAsCustomerSettings()
        expect(rows).toHaveLength(1)
        expect(await service.getSettings()).toMatchObject({
          enabled: true,
          require_reason: true,
          notify_customer: true,
        })
      })

      it("reverts to earlier settings", async () => {
        const { previous } = await service.saveSettings({ enabled: true, consent_mode: "not_required" })
        await service.revertSettings(previous)
        expect(await service.getSettings()).toMatchObject({ enabled: false, consent_mode: "customer_or_admin" })
      })
    })

    describe("remote assistance", () => {
      it("creates the consent on first use and updates it after", async () => {
        expect(await service.getRemoteAssistance("cus_1")).toBeNull()
        const expires = new Date(Date.now() + 86_400_000)
        const first = await service.setRemoteAssistance({
          customer_id: "cus_1",
          allowed: true,
          expires_at: expires,
          updated_by_type: "customer",
          updated_by_id: "cus_1",
        })
        expect(first.previous).toBeNull()
        expect(first.current).toMatchObject({ customer_id: "cus_1", allowed: true, updated_by_type: "customer" })
        expect(new Date(first.current.expires_at!).getTime()).toBe(expires.getTime())
        expect(first.current.id).toMatch(/^lacra_/)

        const second = await service.setRemoteAssistance({
          customer_id: "cus_1",
          allowed: false,
          expires_at: expires,
          updated_by_type: "user",
          updated_by_id: "user_1",
        })
        expect(second.previous?.allowed).toBe(true)
        // Withdrawing consent clears its expiry.
        expect(second.current).toMatchObject({ allowed: false, expires_at: null, updated_by_type: "user" })
        expect(second.current.id).toBe(first.current.id)
      })

      it("keeps one consent row per customer under concurrent changes", async () => {
        await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            service.setRemoteAssistance({
              customer_id: "cus_race",
              allowed: i % 2 === 0,
              expires_at: null,
              updated_by_type: "customer",
              updated_by_id: "cus_race",
            })
          )
        )
        expect(await service.listRemoteAssistances({ customer_id: "cus_race" })).toHaveLength(1)
      })
    })

    describe("log", () => {
      it("writes an event once, however often it is delivered", async () => {
        const entry = {
          event_id: "lacev_1",
          action: "assistance_updated",
          actor_type: "customer" as const,
          actor_id: "cus_1",
          customer_id: "cus_1",
          details: { allowed: true },
        }
        const results = await Promise.all([
          service.recordLogEntry(entry),
          service.recordLogEntry(entry),
          service.recordLogEntry(entry),
        ])
        expect(results.filter(Boolean)).toHaveLength(1)
        expect(await service.recordLogEntry(entry)).toBe(false)
        expect(await service.listLoginAsCustomerLogEntries({ event_id: "lacev_1" })).toHaveLength(1)
      })

      it("keeps long emails and names whole", async () => {
        const email = `${"a".repeat(290)}@example.com`
        await service.recordLogEntry({
          action: "login_denied",
          actor_type: "user",
          user_id: "user_1",
          user_email: email,
          customer_email: email,
        })
        const [row] = await service.listLoginAsCustomerLogEntries({ user_id: "user_1" })
        expect(row.user_email).toBe(email)
        expect(row.customer_email).toHaveLength(302)
      })
    })

    describe("session state", () => {
      it("reads session, consent, settings and grant in one go, from the module's own tables", async () => {
        await service.saveSettings({ enabled: true })
        await service.setRemoteAssistance({
          customer_id: "cus_state",
          allowed: true,
          expires_at: null,
          updated_by_type: "user",
          updated_by_id: "user_state",
        })
        await service.setAdminGrant({ user_id: "user_state", can_login: true })
        const started = await service.startSession({
          user_id: "user_state",
          customer_id: "cus_state",
          storefront_id: "main-store",
          context: null,
          reason: null,
          mode: "full",
          ticket_ttl_seconds: 30,
        })
        // This test database holds the plugin's tables only, as when Medusa's
        // modules have databases of their own.
        const state = await service.getSessionState(started.session.id)
        expect(state).toMatchObject({
          session: { id: started.session.id, user_id: "user_state", customer_id: "cus_state", ended_at: null },
          consent: { customer_id: "cus_state", allowed: true },
          settings: { enabled: true },
          grant: { can_login: true },
        })
        expect(await service.getSessionState("lacs_missing")).toBeNull()
      })
    })
  },
})
