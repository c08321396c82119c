import type { SuiteContext } from "../../helpers/suite"
import { impersonate, LOGIN_URL, setupStore, ticketOf } from "../../helpers/fixtures"
import { eventually } from "../../helpers/seed"

export default function flowSuite({ api, getContainer }: SuiteContext) {
  it("admin start → storefront exchange → acts as jane → restricted refused → end → refused", async () => {
    const store = await setupStore(api as never, getContainer())
    const start = await api.post(`/admin/customers/${store.jane.id}/login-as-customer`, { reason: "Ticket #42" }, store.admin.headers)
    expect(start.status).toBe(201)
    expect(start.data.redirect_url.startsWith(`${LOGIN_URL}#ticket=`)).toBe(true)

    const sdk = store.storefront()
    const exchanged = await sdk.client.fetch<any>("/store/login-as-customer/sessions", {
      method: "POST",
      body: { ticket: ticketOf(start.data.redirect_url) },
    })
    expect(exchanged.session.customer.email).toBe("jane@example.com")
    await sdk.client.setToken(exchanged.token)
    const me = await sdk.store.customer.retrieve()
    expect(me.customer.id).toBe(store.jane.id)

    const headers = { headers: { "x-publishable-api-key": store.publishableKey, authorization: `Bearer ${exchanged.token}` } }
    const refused = await api.post("/store/customers/me", { email: "evil@example.com" }, headers).catch((e) => e.response)
    expect(refused.status).toBe(403)
    expect(refused.data.code).toBe("restricted_while_impersonating")

    const current = await api.get("/store/login-as-customer/session", headers)
    expect(current.data.session.id).toBe(start.data.session_id)

    const ended = await api.delete("/store/login-as-customer/session", headers)
    expect(ended.data.session.end_reason).toBe("logout")

    const after = await api.get("/store/customers/me", headers).catch((e) => e.response)
    expect(after.status).toBe(401)
    expect(after.data.code).toBe("impersonation_ended")

    const john = await api.post(`/admin/customers/${store.john.id}/login-as-customer`, {}, store.admin.headers).catch((e) => e.response)
    expect(john.status).toBe(403)
    expect(john.data.code).toBe("assistance_not_allowed")

    const log = await eventually(async () => {
      const { data } = await api.get("/admin/login-as-customer/log?limit=100", store.admin.headers)
      const actions = data.log_entries.map((e: any) => e.action)
      return ["ticket_issued", "session_started", "session_ended", "login_denied", "store_action"].every((a) => actions.includes(a)) && data
    })
    expect(log).toBeTruthy()
  })
}
