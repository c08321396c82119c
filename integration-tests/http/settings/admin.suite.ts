import { Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { SuiteContext } from "../../helpers/suite"
import {
  Actor,
  createAdmin,
  eventually,
  expectInvalidData,
  refusedWithoutWrites,
  SETTLE_MS,
  sleep,
  snapshotPluginTables,
} from "../../helpers/seed"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"

const ROUTE = "/admin/login-as-customer/settings"
const URL_OK = "https://shop.example.com/assist"

const DEFAULTS = {
  enabled: false,
  disable_page_cache: true,
  store_selection: "auto",
  ticket_ttl_seconds: 60,
  session_ttl_seconds: 3600,
  storefronts: [],
  access: "all_admins",
  consent_mode: "customer_or_admin",
  require_reason: false,
  notify_customer: false,
}

const DEFAULT_RESTRICTED = ["change_email", "change_password", "change_remote_assistance", "manage_auth_identities"]

async function settingsLog(container: MedusaContainer) {
  return (container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any).listLoginAsCustomerLogEntries(
    { action: "settings_updated" },
    { order: { created_at: "ASC" } }
  )
}

async function settledSettingsLog(container: MedusaContainer, count: number) {
  await eventually(async () => (await settingsLog(container)).length >= count)
  await sleep(SETTLE_MS)
  return settingsLog(container)
}

export default function adminSuite({ api, getContainer }: SuiteContext) {
  let admin: Actor

  beforeEach(async () => {
    admin = await createAdmin(api, getContainer())
  })

  const save = (body: unknown) => api.post(ROUTE, body, admin.headers)

  describe("GET", () => {
    it("returns the defaults before anyone saved, and writes nothing", async () => {
      const container = getContainer()
      const before = await snapshotPluginTables(container)
      const res = await api.get(ROUTE, admin.headers)
      expect(res.status).toBe(200)
      expect(res.data.settings).toMatchObject(DEFAULTS)
      expect(res.data.settings.restricted_actions).toEqual(expect.arrayContaining(DEFAULT_RESTRICTED))
      await sleep(SETTLE_MS)
      expect(await snapshotPluginTables(container)).toBe(before)
    })
  })

  describe("POST", () => {
    it("a partial update changes only the fields given; GET returns the same", async () => {
      const res = await save({ enabled: true, ticket_ttl_seconds: 120 })
      expect(res.status).toBe(200)
      expect(res.data.settings).toMatchObject({ ...DEFAULTS, enabled: true, ticket_ttl_seconds: 120 })

      const second = await save({ require_reason: true, consent_mode: "customer_only" })
      expect(second.data.settings).toMatchObject({
        ...DEFAULTS,
        enabled: true,
        ticket_ttl_seconds: 120,
        require_reason: true,
        consent_mode: "customer_only",
      })
      expect(second.data.settings.restricted_actions).toEqual(expect.arrayContaining(DEFAULT_RESTRICTED))

      const read = await api.get(ROUTE, admin.headers)
      expect(read.data.settings).toEqual(second.data.settings)
    })

    it("accepts every field at once, at the limits", async () => {
      const body = {
        enabled: true,
        disable_page_cache: false,
        store_selection: "manual",
        ticket_ttl_seconds: 600,
        session_ttl_seconds: 86400,
        storefronts: [{ id: "eu", name: "EU", sales_channel_id: null, login_url: "http://localhost:8000/assist" }],
        access: "selected_admins",
        consent_mode: "not_required",
        require_reason: true,
        notify_customer: true,
        restricted_actions: ["change_email", "place_order"],
      }
      const res = await save(body)
      expect(res.data.settings).toMatchObject(body)
      const read = await api.get(ROUTE, admin.headers)
      expect(read.data.settings).toMatchObject(body)
    })

    it("gives a storefront without an id a generated, unique one", async () => {
      const res = await save({
        storefronts: [
          { name: "Main Store", login_url: URL_OK },
          { name: "Main Store", login_url: "https://b2b.example.com/assist" },
          { id: "kept", name: "Kept", login_url: URL_OK },
        ],
      })
      const storefronts = res.data.settings.storefronts
      expect(storefronts).toHaveLength(3)
      expect(storefronts[0]).toEqual({ id: expect.any(String), name: "Main Store", sales_channel_id: null, login_url: URL_OK })
      expect(storefronts[0].id).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(storefronts[1].id).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(storefronts[1].id).not.toBe(storefronts[0].id)
      expect(storefronts[2].id).toBe("kept")
      // The ids are stored, not made up on every read.
      const read = await api.get(ROUTE, admin.headers)
      expect(read.data.settings.storefronts).toEqual(storefronts)
    })

    it("accepts a storefront bound to a real sales channel", async () => {
      const channel = await getContainer()
        .resolve(Modules.SALES_CHANNEL)
        .createSalesChannels({ name: "Web" })
      const res = await save({
        storefronts: [{ id: "web", name: "Web", sales_channel_id: channel.id, login_url: URL_OK }],
      })
      expect(res.status).toBe(200)
      expect(res.data.settings.storefronts).toEqual([
        { id: "web", name: "Web", sales_channel_id: channel.id, login_url: URL_OK },
      ])
    })

    it("refuses a sales channel that does not exist (400 from the workflow), nothing written", async () => {
      const res = await refusedWithoutWrites(getContainer(), () =>
        save({
          enabled: true,
          storefronts: [{ id: "web", name: "Web", sales_channel_id: "sc_missing", login_url: URL_OK }],
        })
      )
      expectInvalidData(res, "storefronts")
      expect(res.data.message).toContain("sc_missing")
      const read = await api.get(ROUTE, admin.headers)
      expect(read.data.settings).toMatchObject({ enabled: false, storefronts: [] })
    })

    it("logs a change exactly once, with the admin and the changes", async () => {
      const container = getContainer()
      await save({ enabled: true, session_ttl_seconds: 1800 })
      const rows = await settledSettingsLog(container, 1)
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({
        action: "settings_updated",
        actor_type: "user",
        actor_id: admin.id,
        user_id: admin.id,
        user_email: admin.email,
        customer_id: null,
        details: {
          changes: {
            enabled: { from: false, to: true },
            session_ttl_seconds: { from: 3600, to: 1800 },
          },
        },
      })
      expect(Object.keys(rows[0].details.changes).sort()).toEqual(["enabled", "session_ttl_seconds"])
    })

    it("a save that changes nothing writes no log row", async () => {
      const container = getContainer()
      await save({ enabled: true, ticket_ttl_seconds: 90 })
      await settledSettingsLog(container, 1)

      const same = await save({ enabled: true, ticket_ttl_seconds: 90 })
      expect(same.status).toBe(200)
      const empty = await save({})
      expect(empty.data.settings).toMatchObject({ enabled: true, ticket_ttl_seconds: 90 })
      await sleep(SETTLE_MS * 2)
      expect(await settingsLog(container)).toHaveLength(1)
    })

    it("a first save that only repeats the defaults writes no log row", async () => {
      const container = getContainer()
      await save({ enabled: false, access: "all_admins" })
      await sleep(SETTLE_MS * 2)
      expect(await settingsLog(container)).toHaveLength(0)
    })

    it("turning consent off is logged with a warning", async () => {
      const container = getContainer()
      await save({ consent_mode: "not_required" })
      const [row] = await settledSettingsLog(container, 1)
      expect(row.details).toMatchObject({
        changes: { consent_mode: { from: "customer_or_admin", to: "not_required" } },
        warning: expect.stringContaining("not_required"),
      })
    })
  })

  describe("validation", () => {
    const storefront = (extra: Record<string, unknown> = {}) => ({ name: "Shop", login_url: URL_OK, ...extra })
    const bad: Array<[string, unknown, string]> = [
      ["an unknown field", { enabled: true, colour: "blue" }, "colour"],
      ["a bad store_selection", { store_selection: "random" }, "store_selection"],
      ["a bad access", { access: "everyone" }, "access"],
      ["a bad consent_mode", { consent_mode: "never" }, "consent_mode"],
      ["ticket_ttl_seconds 0", { ticket_ttl_seconds: 0 }, "ticket_ttl_seconds"],
      ["negative ticket_ttl_seconds", { ticket_ttl_seconds: -5 }, "ticket_ttl_seconds"],
      ["fractional ticket_ttl_seconds", { ticket_ttl_seconds: 1.5 }, "ticket_ttl_seconds"],
      ["too large ticket_ttl_seconds", { ticket_ttl_seconds: 601 }, "ticket_ttl_seconds"],
      ["ticket_ttl_seconds as a string", { ticket_ttl_seconds: "60" }, "ticket_ttl_seconds"],
      ["session_ttl_seconds 0", { session_ttl_seconds: 0 }, "session_ttl_seconds"],
      ["negative session_ttl_seconds", { session_ttl_seconds: -1 }, "session_ttl_seconds"],
      ["fractional session_ttl_seconds", { session_ttl_seconds: 3600.5 }, "session_ttl_seconds"],
      ["too large session_ttl_seconds", { session_ttl_seconds: 86401 }, "session_ttl_seconds"],
      ["a javascript: login_url", { storefronts: [storefront({ login_url: "javascript:alert(1)" })] }, "login_url"],
      ["an ftp login_url", { storefronts: [storefront({ login_url: "ftp://x" })] }, "login_url"],
      ["a login_url that is not a URL", { storefronts: [storefront({ login_url: "not a url" })] }, "login_url"],
      ["a storefront without login_url", { storefronts: [{ name: "Shop" }] }, "login_url"],
      ["a storefront without name", { storefronts: [{ login_url: URL_OK }] }, "name"],
      ["a storefront with an unknown field", { storefronts: [storefront({ secret: "x" })] }, "secret"],
      ["a storefront id with bad characters", { storefronts: [storefront({ id: "a b/c" })] }, "id"],
      ["duplicate storefront ids", { storefronts: [storefront({ id: "a" }), storefront({ id: "a" })] }, "storefront"],
      ["an unknown restricted action", { restricted_actions: ["change_email", "delete_account"] }, "restricted_actions"],
      ["enabled as a string", { enabled: "true" }, "enabled"],
      ["require_reason as a number", { require_reason: 1 }, "require_reason"],
      ["notify_customer null", { notify_customer: null }, "notify_customer"],
      ["storefronts as an object", { storefronts: { name: "Shop", login_url: URL_OK } }, "storefronts"],
      ["restricted_actions as a string", { restricted_actions: "change_email" }, "restricted_actions"],
    ]

    it.each(bad)("refuses %s with 400 naming the field, and writes nothing", async (_name, body, field) => {
      const res = await refusedWithoutWrites(getContainer(), () => save(body))
      expectInvalidData(res, field)
    })

    it("a refused update leaves saved settings as they were", async () => {
      const container = getContainer()
      await save({ enabled: true, storefronts: [storefront({ id: "main" })] })
      await settledSettingsLog(container, 1)
      const before = (await api.get(ROUTE, admin.headers)).data.settings
      const res = await refusedWithoutWrites(container, () =>
        save({ enabled: false, storefronts: [storefront({ login_url: "javascript:alert(1)" })] })
      )
      expect(res.status).toBe(400)
      expect((await api.get(ROUTE, admin.headers)).data.settings).toEqual(before)
    })
  })
}
