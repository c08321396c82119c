import type { SuiteContext } from "../../helpers/suite"
import { lacService, LOGIN_URL, refusal, setupStore, Store } from "../../helpers/fixtures"
import { snapshotPluginTables } from "../../helpers/seed"

/** Where the admin's browser is sent with the ticket, and how the ticket travels. */
export default function redirectsSuite({ api, getContainer }: SuiteContext) {
  const start = (store: Store, body: Record<string, unknown> = {}) =>
    api.post(`/admin/customers/${store.jane.id}/login-as-customer`, body, store.admin.headers)

  it("sends the admin only to the chosen storefront's configured login_url, the ticket in the fragment alone", async () => {
    const store = await setupStore(api as never, getContainer(), {
      store_selection: "manual",
      storefronts: [
        { id: "main", name: "Main", login_url: LOGIN_URL },
        { id: "query", name: "With a query", login_url: "https://b2b.example.com/assist?lang=de" },
        { id: "hash", name: "With a fragment", login_url: "https://shop.example.com/outlet/assist#old" },
        { id: "dev", name: "Local", login_url: "http://localhost:8000/assist" },
      ],
    })
    const expected: Record<string, string> = {
      main: LOGIN_URL,
      query: "https://b2b.example.com/assist?lang=de",
      hash: "https://shop.example.com/outlet/assist",
      dev: "http://localhost:8000/assist",
    }
    for (const [id, base] of Object.entries(expected)) {
      const { data } = await start(store, { storefront_id: id })
      const url = new URL(data.redirect_url)
      expect(`${url.origin}${url.pathname}${url.search}`).toBe(base)
      // Only the fragment carries it: browsers never send a fragment to a server, nor in Referer.
      expect(url.hash).toMatch(/^#ticket=[A-Za-z0-9_-]{43}$/)
      const ticket = url.hash.slice("#ticket=".length)
      expect(`${url.origin}${url.pathname}${url.search}`).not.toContain(ticket)
    }
  })

  it("takes no destination from the request: redirect fields in the body are refused, nothing written", async () => {
    const store = await setupStore(api as never, getContainer())
    const container = getContainer()
    for (const body of [
      { redirect_url: "https://evil.example.com/steal" },
      { login_url: "https://evil.example.com/steal" },
      { return_to: "https://evil.example.com" },
      { storefront: { login_url: "https://evil.example.com" } },
    ]) {
      const before = await snapshotPluginTables(container)
      const response = await refusal(start(store, body))
      expect({ status: response.status, code: response.data.code }).toEqual({ status: 400, code: "invalid_data" })
      expect(await snapshotPluginTables(container)).toBe(before)
    }
    // A storefront id that is not a configured one is a refusal, on record, with no ticket.
    for (const storefront_id of ["https://evil.example.com", "../../evil"]) {
      const response = await refusal(start(store, { storefront_id }))
      expect({ status: response.status, code: response.data.code }).toEqual({ status: 400, code: "storefront_not_found" })
    }
    expect(await lacService(container).listLoginAsCustomerTickets({})).toEqual([])
    expect(await lacService(container).listLoginAsCustomerSessions({})).toEqual([])
  })

  it.each([
    ["javascript:", "javascript:alert(document.cookie)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["protocol-relative", "//evil.example.com/assist"],
    ["relative", "/account/assist"],
    ["ftp", "ftp://shop.example.com/assist"],
    ["plain http off this machine", "http://shop.example.com/assist"],
    ["credentials", "https://admin:secret@shop.example.com/assist"],
    ["no host", "https://"],
    ["blank", "   "],
  ])("refuses a storefront login_url that is %s (400 naming login_url); settings unchanged", async (_label, loginUrl) => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const before = await lacService(container).getSettings()
    const response = await refusal(
      api.post(
        "/admin/login-as-customer/settings",
        { storefronts: [{ id: "main", name: "Main", login_url: loginUrl }] },
        store.admin.headers
      )
    )
    expect({ status: response.status, code: response.data.code }).toEqual({ status: 400, code: "invalid_data" })
    expect(response.data.message).toContain("login_url")
    expect((await lacService(container).getSettings()).storefronts).toEqual(before.storefronts)
  })
}
