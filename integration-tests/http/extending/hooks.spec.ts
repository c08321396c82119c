import { MedusaError } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  exchangeLoginTicketWorkflow,
  startLoginAsCustomerWorkflow,
} from "../../../src/workflows"
import { setupStore, ticketOf } from "../../helpers/fixtures"
import { eventually } from "../../helpers/seed"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"

jest.setTimeout(120_000)

// A store's own rule and follow-up, registered the way a store's
// src/workflows/hooks file registers them.
const started: string[] = []
startLoginAsCustomerWorkflow.hooks.validateLoginAsCustomer(async ({ context }) => {
  if (context.customer?.email === "john@example.com") {
    throw new MedusaError(MedusaError.Types.FORBIDDEN, "John's account needs a manager", "manager_required")
  }
})
exchangeLoginTicketWorkflow.hooks.loginAsCustomerSessionStarted(async ({ session }) => {
  started.push(session.id)
})

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    it("a validateLoginAsCustomer hook adds a rule; its refusal is answered and logged like the plugin's own", async () => {
      const store = await setupStore(api as never, getContainer(), { consent_mode: "not_required" })
      const refused = await api
        .post(`/admin/customers/${store.john.id}/login-as-customer`, {}, store.admin.headers)
        .catch((e) => e.response)
      expect(refused.status).toBe(403)
      expect(refused.data).toMatchObject({ code: "manager_required", message: "John's account needs a manager" })
      const rows = await eventually(async () => {
        const list = await (getContainer().resolve(LOGIN_AS_CUSTOMER_MODULE) as any).listLoginAsCustomerLogEntries({
          action: "login_denied",
        })
        return list.length ? list : null
      })
      expect(rows[0].details.code).toBe("manager_required")
      expect(await (getContainer().resolve(LOGIN_AS_CUSTOMER_MODULE) as any).listLoginAsCustomerSessions({})).toEqual([])

      // Jane passes the rule.
      const allowed = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      expect(allowed.status).toBe(201)
    })

    it("a loginAsCustomerSessionStarted hook runs once the storefront is in", async () => {
      const store = await setupStore(api as never, getContainer())
      const start = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
      expect(started).not.toContain(start.data.session_id)
      await store.storefront().client.fetch("/store/login-as-customer/sessions", {
        method: "POST",
        body: { ticket: ticketOf(start.data.redirect_url) },
      })
      expect(started).toContain(start.data.session_id)
    })
  },
})
