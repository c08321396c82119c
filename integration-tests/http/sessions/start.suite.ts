import { createHash } from "crypto"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import {
  lacService,
  LOGIN_URL,
  logQuiet,
  logRows,
  refusal,
  saveSettings,
  settledLogRows,
  setupStore,
  Store,
  storeHeaders,
  ticketOf,
} from "../../helpers/fixtures"
import { snapshotPluginTables } from "../../helpers/seed"

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex")

/** Starting a session: the ticket and its storefront URL, every refusal, reasons, modes and validation. */
export default function startSuite({ api, getContainer }: SuiteContext) {
  const start = (store: Store, customerId: string, body: Record<string, unknown> = {}, headers = store.admin.headers) =>
    api.post(`/admin/customers/${customerId}/login-as-customer`, body, headers)

  /** Asserts a refused start, returning its code. */
  const expectDenied = async (
    store: Store,
    customerId: string,
    body: Record<string, unknown>,
    status: number,
    code: string
  ) => {
    const response = await refusal(start(store, customerId, body))
    expect({ status: response.status, code: response.data.code }).toEqual({ status, code })
    expect(typeof response.data.message).toBe("string")
    return code
  }

  /** Every `login_denied` code logged so far, once they have all arrived. */
  const deniedCodes = async (count: number) => {
    const rows = await settledLogRows(getContainer(), "login_denied", {}, { count })
    return rows.map((row) => row.details.code).sort()
  }

  it("answers 201 with the storefront URL carrying a 32-byte ticket in its fragment; only the ticket's sha256 is stored", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const before = Date.now()
    const response = await start(store, store.jane.id)
    const after = Date.now()

    expect(response.status).toBe(201)
    expect(Object.keys(response.data).sort()).toEqual(["expires_at", "redirect_url", "session_id"])
    expect(response.data.session_id).toMatch(/^lacs_/)
    const url = new URL(response.data.redirect_url)
    // The ticket travels in the fragment, never in the query (server logs, Referer).
    expect(url.search).toBe("")
    expect(`${url.origin}${url.pathname}`).toBe(LOGIN_URL)
    expect(url.hash).toMatch(/^#ticket=[A-Za-z0-9_-]{43}$/)
    const ticket = ticketOf(response.data.redirect_url)
    expect(Buffer.from(ticket, "base64url")).toHaveLength(32)

    // Default ticket_ttl_seconds is 60.
    const expiresAt = new Date(response.data.expires_at).getTime()
    expect(expiresAt).toBeGreaterThanOrEqual(before + 60_000 - 1000)
    expect(expiresAt).toBeLessThanOrEqual(after + 60_000 + 1000)

    const service = lacService(container)
    const tickets = await service.listLoginAsCustomerTickets()
    expect(tickets).toHaveLength(1)
    expect(tickets[0].token_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(tickets[0].token_hash).toBe(sha256(ticket))
    expect(tickets[0]).toMatchObject({
      user_id: store.admin.id,
      customer_id: store.jane.id,
      session_id: response.data.session_id,
      storefront_id: "main",
      consumed_at: null,
    })
    for (const value of Object.values(tickets[0])) {
      expect(String(value)).not.toContain(ticket)
    }

    const session = await service.retrieveLoginAsCustomerSession(response.data.session_id)
    expect(session).toMatchObject({
      user_id: store.admin.id,
      customer_id: store.jane.id,
      storefront_id: "main",
      mode: "full",
      reason: null,
      started_at: null,
      ended_at: null,
    })

    const [issued] = await settledLogRows(container, "ticket_issued")
    expect(issued).toMatchObject({
      session_id: response.data.session_id,
      user_id: store.admin.id,
      user_email: "admin@example.com",
      customer_id: store.jane.id,
      customer_email: "jane@example.com",
    })

    // Nowhere in the whole database (any table, any column) is the ticket itself.
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const { rows: tables } = await knex.raw(
      `select table_name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`
    )
    expect(tables.length).toBeGreaterThan(50)
    const holding: string[] = []
    for (const { table_name } of tables) {
      const { rows } = await knex.raw(
        `select count(*)::int as n from "${table_name}" t where strpos(t::text, ?) > 0`,
        [ticket]
      )
      if (rows[0].n > 0) holding.push(table_name)
    }
    expect(holding).toEqual([])
    // …while the same scan does find the ticket's hash (the scan works).
    const { rows: hashed } = await knex.raw(
      `select count(*)::int as n from login_as_customer_ticket t where strpos(t::text, ?) > 0`,
      [sha256(ticket)]
    )
    expect(hashed[0].n).toBe(1)
  })

  it("refuses with feature_disabled and permission_denied (settings), letting a granted admin in; each refusal logged", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)

    await saveSettings(api as never, store, { enabled: false })
    await expectDenied(store, store.jane.id, {}, 403, "feature_disabled")

    await saveSettings(api as never, store, { enabled: true, access: "selected_admins" })
    await expectDenied(store, store.jane.id, {}, 403, "permission_denied")
    // A grant without can_login is still no permission.
    await api.post(`/admin/login-as-customer/grants/${store.admin.id}`, { can_view_log: true }, store.admin.headers)
    await expectDenied(store, store.jane.id, {}, 403, "permission_denied")

    await api.post(`/admin/login-as-customer/grants/${store.admin.id}`, { can_login: true }, store.admin.headers)
    expect((await start(store, store.jane.id)).status).toBe(201)

    expect(await deniedCodes(3)).toEqual(["feature_disabled", "permission_denied", "permission_denied"])
    const rows = await logRows(container, "login_denied")
    for (const row of rows) {
      expect(row).toMatchObject({ user_id: store.admin.id, customer_id: store.jane.id, session_id: null })
    }
    expect(await lacService(container).listLoginAsCustomerSessions({})).toHaveLength(1)
  })

  it("refuses customer_not_found, customer_has_no_account, assistance_not_allowed and assistance_expired; each logged", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const guest = await container
      .resolve(Modules.CUSTOMER)
      .createCustomers({ email: "guest@example.com", has_account: false })
    // Even a consent doesn't make a guest customer loggable-into.
    await api.post(`/admin/customers/${guest.id}/login-as-customer/remote-assistance`, { allowed: true }, store.admin.headers)

    await expectDenied(store, "cus_does_not_exist", {}, 404, "customer_not_found")
    await expectDenied(store, guest.id, {}, 400, "customer_has_no_account")
    await expectDenied(store, store.john.id, {}, 403, "assistance_not_allowed")

    // Jane's consent was time-boxed and that time has passed.
    const consent = await lacService(container).getRemoteAssistance(store.jane.id)
    await lacService(container).updateRemoteAssistances({ id: consent.id, expires_at: new Date(Date.now() - 60_000) })
    await expectDenied(store, store.jane.id, {}, 403, "assistance_expired")

    // Consent valid again (time-boxed into the future): allowed.
    await lacService(container).updateRemoteAssistances({ id: consent.id, expires_at: new Date(Date.now() + 3_600_000) })
    expect((await start(store, store.jane.id)).status).toBe(201)

    expect(await deniedCodes(4)).toEqual(
      ["assistance_expired", "assistance_not_allowed", "customer_has_no_account", "customer_not_found"].sort()
    )
    const byCode = Object.fromEntries((await logRows(container, "login_denied")).map((row) => [row.details.code, row]))
    expect(byCode.customer_not_found.customer_id).toBe("cus_does_not_exist")
    expect(byCode.customer_has_no_account.customer_id).toBe(guest.id)
    expect(byCode.assistance_not_allowed.customer_id).toBe(store.john.id)
    expect(byCode.assistance_expired.customer_id).toBe(store.jane.id)
    // Only the allowed start opened a session.
    expect(await lacService(container).listLoginAsCustomerSessions({})).toHaveLength(1)
  })

  it("resolves the storefront: storefront_required and storefront_not_found in manual mode, storefront_not_found with none configured", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container, {
      store_selection: "manual",
      storefronts: [
        { id: "main", name: "Main store", login_url: LOGIN_URL },
        { id: "b2b", name: "Trade", login_url: "https://b2b.example.com/assist?x=1" },
      ],
    })

    await expectDenied(store, store.jane.id, {}, 400, "storefront_required")
    await expectDenied(store, store.jane.id, { storefront_id: "nope" }, 400, "storefront_not_found")
    const chosen = await start(store, store.jane.id, { storefront_id: "b2b" })
    expect(chosen.status).toBe(201)
    // The storefront's own query is kept; the ticket goes in the fragment.
    expect(chosen.data.redirect_url).toMatch(/^https:\/\/b2b\.example\.com\/assist\?x=1#ticket=[A-Za-z0-9_-]{43}$/)
    const session = await lacService(container).retrieveLoginAsCustomerSession(chosen.data.session_id)
    expect(session.storefront_id).toBe("b2b")

    // Automatic selection: an explicit unknown id is still refused.
    await saveSettings(api as never, store, { store_selection: "auto" })
    await expectDenied(store, store.jane.id, { storefront_id: "nope" }, 400, "storefront_not_found")
    // Enabled, but no storefront configured at all.
    await saveSettings(api as never, store, { storefronts: [] })
    await expectDenied(store, store.jane.id, {}, 400, "storefront_not_found")

    expect(await deniedCodes(4)).toEqual([
      "storefront_not_found",
      "storefront_not_found",
      "storefront_not_found",
      "storefront_required",
    ])
    const rows = await logRows(container, "login_denied")
    expect(rows.filter((row) => row.details.storefront_id === "nope")).toHaveLength(2)
  })

  it("requires a reason when require_reason is on; the reason is stored on the session and in the ticket_issued log", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container, { require_reason: true })

    await expectDenied(store, store.jane.id, {}, 400, "reason_required")
    await expectDenied(store, store.jane.id, { reason: null }, 400, "reason_required")
    await expectDenied(store, store.jane.id, { reason: "   \t " }, 400, "reason_required")

    const response = await start(store, store.jane.id, { reason: "Ticket #42: card declined" })
    expect(response.status).toBe(201)
    const session = await lacService(container).retrieveLoginAsCustomerSession(response.data.session_id)
    expect(session.reason).toBe("Ticket #42: card declined")
    const [issued] = await settledLogRows(container, "ticket_issued")
    expect(issued.session_id).toBe(response.data.session_id)
    expect(issued.details.reason).toBe("Ticket #42: card declined")

    expect(await deniedCodes(3)).toEqual(["reason_required", "reason_required", "reason_required"])
    expect((await logRows(container, "login_denied")).map((row) => row.details.reason).sort()).toEqual(
      ["   \t ", null, null].sort()
    )

    // Without require_reason, no reason is fine.
    await saveSettings(api as never, store, { require_reason: false })
    expect((await start(store, store.jane.id)).status).toBe(201)
  })

  it("lets the admin in without consent when consent_mode is not_required, and stores a read_only mode", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    await expectDenied(store, store.john.id, {}, 403, "assistance_not_allowed")

    await saveSettings(api as never, store, { consent_mode: "not_required" })
    const response = await start(store, store.john.id, { mode: "read_only" })
    expect(response.status).toBe(201)
    const session = await lacService(container).retrieveLoginAsCustomerSession(response.data.session_id)
    expect(session).toMatchObject({ customer_id: store.john.id, mode: "read_only" })
    const [issued] = await settledLogRows(container, "ticket_issued")
    expect(issued.details.mode).toBe("read_only")

    // The token the ticket buys works for john, in read-only mode.
    const exchanged = await store.storefront().client.fetch<any>("/store/login-as-customer/sessions", {
      method: "POST",
      body: { ticket: ticketOf(response.data.redirect_url) },
    })
    expect(exchanged.session).toMatchObject({ mode: "read_only", customer: { id: store.john.id } })
    const me = await api.get("/store/customers/me", storeHeaders(store, exchanged.token))
    expect(me.data.customer.id).toBe(store.john.id)
  })

  it("validates the body strictly: unknown or mistyped fields → 400 invalid_data, nothing written", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    await logQuiet(container)
    const before = await snapshotPluginTables(container)

    const bodies: Record<string, unknown>[] = [
      { customer_id: store.john.id },
      { user_id: "user_other" },
      { mode: "god_mode" },
      { reason: 42 },
      { reason: "x".repeat(501) },
      { storefront_id: "" },
      { ticket_ttl_seconds: 3600 },
    ]
    for (const body of bodies) {
      const response = await refusal(start(store, store.jane.id, body))
      expect({ body, status: response.status, code: response.data.code }).toEqual({
        body,
        status: 400,
        code: "invalid_data",
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await snapshotPluginTables(container)).toBe(before)

    // The same request without the bad field goes through.
    expect((await start(store, store.jane.id, { mode: "full", reason: "ok" })).status).toBe(201)
    expect(await snapshotPluginTables(container)).not.toBe(before)
  })

}
