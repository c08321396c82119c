import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  bannerText,
  endImpersonation,
  exchangeTicket,
  getImpersonation,
  getRemoteAssistance,
  readTicket,
  setRemoteAssistance,
} from "../../../src/storefront"
import { setupStore } from "../../helpers/fixtures"
import { eventually } from "../../helpers/seed"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"

jest.setTimeout(120_000)

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    it("the storefront helpers walk a whole session over the js-sdk", async () => {
      const store = await setupStore(api as never, getContainer())
      const start = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      const sdk = store.storefront()
      const ticket = readTicket(start.data.redirect_url)!
      const { session } = await exchangeTicket(sdk, ticket)
      expect(bannerText(session)).toBe("You are logged in as Jane Doe — assisted by Ada Admin")

      const current = await getImpersonation(sdk)
      expect(current?.id).toBe(session.id)
      const me = await sdk.store.customer.retrieve()
      expect(me.customer.email).toBe("jane@example.com")

      const ended = await endImpersonation(sdk)
      expect(ended.end_reason).toBe("logout")
      // The token is forgotten: the SDK is anonymous again.
      await expect(sdk.store.customer.retrieve()).rejects.toThrow()
    })

    it("shows a customer their own assistance history, and nobody else's", async () => {
      const store = await setupStore(api as never, getContainer())
      const start = await api.post(
        `/admin/customers/${store.jane.id}/login-as-customer`,
        { reason: "Ticket #7" },
        store.admin.headers
      )
      const sdk = store.storefront()
      await exchangeTicket(sdk, readTicket(start.data.redirect_url)!)
      await endImpersonation(sdk)

      const janeSdk = store.storefront()
      await janeSdk.client.setToken(store.jane.token)
      const mine = await getRemoteAssistance(janeSdk)
      expect(mine.sessions).toHaveLength(1)
      expect(mine.sessions[0]).toMatchObject({
        id: start.data.session_id,
        admin: { first_name: "Ada" },
        reason: "Ticket #7",
        end_reason: "logout",
        order_ids: [],
      })
      expect(mine.sessions[0].started_at).toBeTruthy()
      expect(mine.sessions[0].ended_at).toBeTruthy()
      // Only the first name of the admin is shown to customers.
      expect(Object.keys(mine.sessions[0].admin)).toEqual(["first_name"])

      const johnSdk = store.storefront()
      await johnSdk.client.setToken(store.john.token)
      expect((await getRemoteAssistance(johnSdk)).sessions).toEqual([])

      // The customer can withdraw consent from the same page.
      const withdrawn = await setRemoteAssistance(janeSdk, { allowed: false })
      expect(withdrawn.remote_assistance.allowed).toBe(false)
    })

    it("notifies the customer once when a session starts (notify_customer on)", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container, { notify_customer: true })
      const start = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      const { session } = await exchangeTicket(store.storefront(), readTicket(start.data.redirect_url)!)

      const notifications = container.resolve(Modules.NOTIFICATION)
      const sent = await eventually(async () => {
        const list = await notifications.listNotifications({ resource_id: session.id })
        return list.length ? list : null
      })
      expect(sent).toHaveLength(1)
      expect(sent![0]).toMatchObject({
        to: "jane@example.com",
        channel: "email",
        template: "login-as-customer-session-started",
        receiver_id: store.jane.id,
      })
      expect((sent![0].data as any).admin).toEqual({ first_name: "Ada" })

      // A redelivered event sends nothing more.
      await container.resolve(Modules.EVENT_BUS).emit({
        name: "login_as_customer.session_started",
        data: {
          event_id: `session_started:${session.id}`,
          session_id: session.id,
          user_id: store.admin.id,
          customer_id: store.jane.id,
        },
      })
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(await notifications.listNotifications({ resource_id: session.id })).toHaveLength(1)
    })

    it("sends no notification when notify_customer is off", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const start = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      const { session } = await exchangeTicket(store.storefront(), readTicket(start.data.redirect_url)!)
      await eventually(async () =>
        (
          await (container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any).listLoginAsCustomerLogEntries({
            action: "session_started",
          })
        ).length
      )
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(await container.resolve(Modules.NOTIFICATION).listNotifications({ resource_id: session.id })).toEqual([])
    })

    it("writes one log row per event, however often the event is delivered", async () => {
      const container = getContainer()
      const store = await setupStore(api as never, container)
      const start = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      const { session } = await exchangeTicket(store.storefront(), readTicket(start.data.redirect_url)!)
      const service = container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any
      const started = () => service.listLoginAsCustomerLogEntries({ action: "session_started", session_id: session.id })
      await eventually(async () => (await started()).length)

      // A retried delivery of the same event (same event_id).
      const event = {
        name: "login_as_customer.session_started",
        data: {
          event_id: `session_started:${session.id}`,
          session_id: session.id,
          user_id: store.admin.id,
          customer_id: store.jane.id,
          storefront_id: "main",
          reason: null,
          mode: "full",
          context: null,
          started_at: new Date().toISOString(),
          expires_at: null,
          ended_at: null,
          end_reason: null,
        },
      }
      const bus = container.resolve(Modules.EVENT_BUS)
      await Promise.all([bus.emit(event), bus.emit(event), bus.emit(event)])
      await new Promise((resolve) => setTimeout(resolve, 700))
      expect(await started()).toHaveLength(1)
    })
  },
})
