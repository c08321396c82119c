import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { lacService, logRows, LOGIN_URL, refusal, settledLogRows, setupStore, Store, ticketOf } from "../../helpers/fixtures"
import { createAdmin, snapshotPluginTables } from "../../helpers/seed"

const ROUTE = "/admin/login-as-customer/settings"
const ENV = "LOGIN_AS_CUSTOMER_STOREFRONT_ORIGINS"
/** The test app's `storeCors` (integration-tests/setup.js): the plugin's default list. */
const STORE_CORS_ORIGINS = ["http://localhost:8000", "https://b2b.example.com", "https://shop.example.com"]

/**
 * Where tickets may go is fixed at deploy time: a storefront's login_url must
 * be at one of the storefront origins of the plugin options, the environment
 * or Medusa's storeCors. An admin who may change settings can't send other
 * admins' tickets to a server of their own.
 */
export default function storefrontOriginsSuite({ api, getContainer }: SuiteContext) {
  const start = (store: Store, body: Record<string, unknown> = {}) =>
    api.post(`/admin/customers/${store.jane.id}/login-as-customer`, body, store.admin.headers)

  // The environment stands for a redeploy with another list; each test starts from none.
  afterEach(() => {
    delete process.env[ENV]
  })

  it("GET settings lists the allowed storefront origins: Medusa's storeCors when nothing else is set", async () => {
    const admin = await createAdmin(api, getContainer())
    const res = await api.get(ROUTE, admin.headers)
    expect(res.data.allowed_storefront_origins).toEqual(STORE_CORS_ORIGINS)
    process.env[ENV] = "https://b2b.example.com, https://new.example.com/"
    expect((await api.get(ROUTE, admin.headers)).data.allowed_storefront_origins).toEqual([
      "https://b2b.example.com",
      "https://new.example.com",
    ])
  })

  it.each([
    ["another host", "https://evil.example.com/assist"],
    ["an allowed host as a prefix of another", "https://shop.example.com.evil.example.com/assist"],
    ["an allowed host's sibling", "https://evil-shop.example.com/assist"],
    ["another port", "https://shop.example.com:8443/assist"],
    ["another local port", "http://localhost:8001/assist"],
    ["an allowed origin only in the query", "https://evil.example.com/assist?next=https://shop.example.com"],
  ])("refuses a storefront at %s: 400 storefront_origin_not_allowed, nothing written", async (_label, loginUrl) => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const before = await snapshotPluginTables(container)
    for (const storefronts of [
      [{ id: "evil", name: "Evil", login_url: loginUrl }],
      // One bad storefront refuses the whole list.
      [
        { id: "main", name: "Main", login_url: LOGIN_URL },
        { id: "evil", name: "Evil", login_url: loginUrl },
      ],
    ]) {
      const response = await refusal(api.post(ROUTE, { storefronts }, store.admin.headers))
      expect({ status: response.status, type: response.data.type, code: response.data.code }).toEqual({
        status: 400,
        type: "invalid_data",
        code: "storefront_origin_not_allowed",
      })
      expect(response.data.message).toContain(loginUrl)
    }
    expect(await snapshotPluginTables(container)).toBe(before)
  })

  it("saves storefronts at any allowed origin, whatever the path, query or letter case of the host", async () => {
    const store = await setupStore(api as never, getContainer())
    const storefronts = [
      { id: "main", name: "Main", sales_channel_id: null, login_url: "https://SHOP.example.com/de/assist?x=1" },
      { id: "b2b", name: "Trade", sales_channel_id: null, login_url: "https://b2b.example.com:443/assist" },
      { id: "dev", name: "Local", sales_channel_id: null, login_url: "http://localhost:8000/" },
    ]
    const res = await api.post(ROUTE, { storefronts }, store.admin.headers)
    expect(res.data.settings.storefronts).toEqual(storefronts)
    expect(res.data.allowed_storefront_origins).toEqual(STORE_CORS_ORIGINS)
    for (const storefront_id of ["main", "b2b", "dev"]) {
      const { data } = await start(store, { storefront_id })
      expect(ticketOf(data.redirect_url)).toMatch(/^[A-Za-z0-9_-]{43}$/)
    }
  })

  it("sends no ticket to a saved storefront whose origin is no longer allowed: 403 storefront_origin_not_allowed, logged as login_denied", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const service = lacService(container)
    const sessionsBefore = await service.listLoginAsCustomerSessions({})

    // Redeployed with a list that no longer holds the saved storefront's origin.
    process.env[ENV] = "https://b2b.example.com"
    const refused = await refusal(start(store))
    expect({ status: refused.status, code: refused.data.code }).toEqual({ status: 403, code: "storefront_origin_not_allowed" })
    expect(JSON.stringify(refused.data)).not.toContain("ticket=")
    const denied = await settledLogRows(container, "login_denied")
    expect(denied).toHaveLength(1)
    expect(denied[0]).toMatchObject({
      user_id: store.admin.id,
      customer_id: store.jane.id,
      details: expect.objectContaining({ code: "storefront_origin_not_allowed" }),
    })
    expect(await service.listLoginAsCustomerSessions({})).toEqual(sessionsBefore)
    expect(await service.listLoginAsCustomerTickets({})).toEqual([])

    // The widget says so before anyone clicks.
    const widget = await api.get(`/admin/customers/${store.jane.id}/login-as-customer`, store.admin.headers)
    expect({ can_login: widget.data.can_login, reason: widget.data.reason }).toEqual({
      can_login: false,
      reason: "storefront_origin_not_allowed",
    })

    // Chosen explicitly, the same.
    const chosen = await refusal(start(store, { storefront_id: "main" }))
    expect(chosen.data.code).toBe("storefront_origin_not_allowed")

    // Put back in the list, it gets tickets again.
    process.env[ENV] = "https://b2b.example.com,https://shop.example.com"
    expect((await start(store)).status).toBe(201)
  })

  it("puts the origins in force on record once, and again each time the deployment changes them", async () => {
    const container = getContainer()
    const admin = await createAdmin(api, container, "reader@example.com")
    const origins = () => logRows(container, "storefront_origins_changed")

    // Reading the settings writes nothing.
    await api.get(ROUTE, admin.headers)
    expect(await origins()).toEqual([])

    const store = await setupStore(api as never, container)
    const first = await origins()
    expect(first).toHaveLength(1)
    expect(first[0]).toMatchObject({
      actor_type: "system",
      actor_id: null,
      details: { from: null, to: STORE_CORS_ORIGINS, source: "store_cors" },
    })

    // Used again unchanged: nothing new.
    await api.post(ROUTE, { storefronts: [{ id: "main", name: "Main", login_url: LOGIN_URL }] }, store.admin.headers)
    await start(store)
    expect(await origins()).toHaveLength(1)

    // Redeployed with another list: the next use logs the change, once, even from requests at the same time.
    process.env[ENV] = "https://shop.example.com"
    const saves = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.post(ROUTE, { storefronts: [{ id: "main", name: "Main", login_url: LOGIN_URL }] }, store.admin.headers)
      )
    )
    expect(saves.map((res) => res.status)).toEqual([200, 200, 200, 200, 200])
    await start(store)
    const second = await origins()
    expect(second).toHaveLength(2)
    expect(second[1]).toMatchObject({
      actor_type: "system",
      details: { from: STORE_CORS_ORIGINS, to: ["https://shop.example.com"], source: "env" },
    })

    // Back to the default list: logged again.
    delete process.env[ENV]
    await start(store)
    const third = await origins()
    expect(third.map((row) => row.details.to)).toEqual([STORE_CORS_ORIGINS, ["https://shop.example.com"], STORE_CORS_ORIGINS])
  })

  it("issues tickets still when a newer origins line was inserted nested 5 000 levels deep: it is no line of the app's, whose list stays on record", async () => {
    const container = getContainer()
    const store = await setupStore(api as never, container)
    const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // Read in SQL: the deep line's details would overflow the ORM's stack here too.
    const appLines = async () =>
      (
        await knex.raw(
          `select "details" from login_as_customer_log_entry
            where action = 'storefront_origins_changed' and id <> 'lacl_deep_origins' order by created_at, id`
        )
      ).rows.map((row: { details: unknown }) => row.details)
    expect(await appLines()).toHaveLength(1)
    await knex.raw(`
      insert into login_as_customer_log_entry (id, action, actor_type, details, created_at)
      values ('lacl_deep_origins', 'storefront_origins_changed', 'system',
              ('{"to":' || repeat('[', 5000) || repeat(']', 5000) || '}')::jsonb, now() + interval '1 hour')`)

    const issued = await start(store)
    expect(issued.status).toBe(201)
    expect(ticketOf(issued.data.redirect_url)).toMatch(/^[A-Za-z0-9_-]{43}$/)
    // Dated ahead and with no event id, the deep line is not read: the app's own line says the list in force.
    expect(await appLines()).toHaveLength(1)
    expect((await start(store)).status).toBe(201)
    expect(await appLines()).toHaveLength(1)
  })
}
