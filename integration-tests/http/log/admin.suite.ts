import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { SuiteContext } from "../../helpers/suite"
import {
  Actor,
  createAdmin,
  eventually,
  expectInvalidData,
  refusedWithoutWrites,
} from "../../helpers/seed"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"

const ROUTE = "/admin/login-as-customer/log"

const service = (container: MedusaContainer) => container.resolve(LOGIN_AS_CUSTOMER_MODULE) as any

/**
 * Six log lines a day apart (2025-01-01 … 2025-01-06), tagged e1 … e6 in
 * `details.tag`, with emails that put `%` and `_` to the test.
 */
async function seedLog(container: MedusaContainer) {
  const rows = [
    { tag: "e1", action: "session_started", actor_type: "user", actor_id: "user_1", user_id: "user_1", user_email: "ada@example.com", customer_id: "cus_1", customer_email: "jane@example.com", session_id: "lacs_1" },
    { tag: "e2", action: "session_ended", actor_type: "user", actor_id: "user_1", user_id: "user_1", user_email: "ada@example.com", customer_id: "cus_1", customer_email: "jane@example.com", session_id: "lacs_1" },
    { tag: "e3", action: "login_denied", actor_type: "user", actor_id: "user_2", user_id: "user_2", user_email: "bob_smith@example.com", customer_id: "cus_2", customer_email: "50%off@example.com", session_id: null },
    { tag: "e4", action: "assistance_updated", actor_type: "customer", actor_id: "cus_2", user_id: null, user_email: null, customer_id: "cus_2", customer_email: "50%off@example.com", session_id: null },
    { tag: "e5", action: "settings_updated", actor_type: "user", actor_id: "user_2", user_id: "user_2", user_email: "bob_smith@example.com", customer_id: null, customer_email: null, session_id: null },
    { tag: "e6", action: "store_action", actor_type: "user", actor_id: "user_1", user_id: "user_1", user_email: "ada@example.com", customer_id: "cus_3", customer_email: "bobxsmith@example.com", session_id: "lacs_2" },
  ]
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  for (const [i, { tag, ...row }] of rows.entries()) {
    const eventId = `lacev_test_${tag}`
    // Written with their dates: the log is append-only, so they can't be changed afterwards.
    const created_at = new Date(Date.UTC(2025, 0, 1 + i))
    await knex("login_as_customer_log_entry").insert({
      id: `lacl_test_${tag}`,
      ...row,
      event_id: eventId,
      details: JSON.stringify({ tag }),
      created_at,
      updated_at: created_at,
    })
  }
}

const tags = (res: { data: { log_entries: Array<{ details: { tag: string } }> } }) =>
  res.data.log_entries.map((entry) => entry.details.tag)

export default function adminSuite({ api, getContainer }: SuiteContext) {
  let admin: Actor

  beforeEach(async () => {
    admin = await createAdmin(api, getContainer())
  })

  const list = (query = "") => api.get(`${ROUTE}${query}`, admin.headers)

  it("is empty on a new store", async () => {
    const res = await list()
    expect(res.status).toBe(200)
    expect(res.data).toEqual({ log_entries: [], count: 0, count_estimated: false, offset: 0, limit: 50 })
  })

  it("lists what admins and customers did, newest first, with every field", async () => {
    const container = getContainer()
    const customer = await container
      .resolve(Modules.CUSTOMER)
      .createCustomers({ email: "jane@example.com", has_account: true })
    await api.post("/admin/login-as-customer/settings", { enabled: true }, admin.headers)
    await eventually(async () => (await service(container).listLoginAsCustomerLogEntries({})).length >= 1)
    await api.post(`/admin/customers/${customer.id}/login-as-customer/remote-assistance`, { allowed: true }, admin.headers)
    await eventually(async () => (await service(container).listLoginAsCustomerLogEntries({})).length >= 2)

    const res = await list()
    expect(res.data).toMatchObject({ count: 2, offset: 0, limit: 50 })
    expect(res.data.log_entries).toEqual([
      {
        id: expect.stringMatching(/^lacl_/),
        action: "assistance_updated",
        actor_type: "user",
        actor_id: admin.id,
        user_id: admin.id,
        user_email: admin.email,
        customer_id: customer.id,
        customer_email: "jane@example.com",
        session_id: null,
        details: expect.objectContaining({ allowed: true, previous: null }),
        created_at: expect.any(String),
      },
      {
        id: expect.stringMatching(/^lacl_/),
        action: "settings_updated",
        actor_type: "user",
        actor_id: admin.id,
        user_id: admin.id,
        user_email: admin.email,
        customer_id: null,
        customer_email: null,
        session_id: null,
        details: { changes: { enabled: { from: false, to: true } } },
        created_at: expect.any(String),
      },
    ])
    const [newer, older] = res.data.log_entries.map((e: { created_at: string }) => Date.parse(e.created_at))
    expect(newer).toBeGreaterThanOrEqual(older)
  })

  describe("filters", () => {
    beforeEach(async () => {
      await seedLog(getContainer())
    })

    it("newest first by default; order=created_at gives oldest first", async () => {
      expect(tags(await list())).toEqual(["e6", "e5", "e4", "e3", "e2", "e1"])
      expect(tags(await list("?order=-created_at"))).toEqual(["e6", "e5", "e4", "e3", "e2", "e1"])
      expect(tags(await list("?order=created_at"))).toEqual(["e1", "e2", "e3", "e4", "e5", "e6"])
    })

    it("by action, one or several", async () => {
      const one = await list("?action=login_denied")
      expect(tags(one)).toEqual(["e3"])
      expect(one.data.count).toBe(1)
      expect(tags(await list("?action=session_started&action=session_ended"))).toEqual(["e2", "e1"])
      expect(tags(await list("?action=order_placed"))).toEqual([])
    })

    it("by user_id, customer_id and session_id, alone and together", async () => {
      expect(tags(await list("?user_id=user_1"))).toEqual(["e6", "e2", "e1"])
      expect(tags(await list("?customer_id=cus_2"))).toEqual(["e4", "e3"])
      expect(tags(await list("?session_id=lacs_1"))).toEqual(["e2", "e1"])
      expect(tags(await list("?session_id=lacs_2"))).toEqual(["e6"])
      expect(tags(await list("?user_id=user_1&action=session_ended"))).toEqual(["e2"])
      expect(tags(await list("?user_id=user_2&customer_id=cus_1"))).toEqual([])
    })

    it("by created_at[gte] and created_at[lte], inclusive", async () => {
      expect(tags(await list("?created_at[gte]=2025-01-04T00:00:00.000Z"))).toEqual(["e6", "e5", "e4"])
      expect(tags(await list("?created_at[lte]=2025-01-02T00:00:00.000Z"))).toEqual(["e2", "e1"])
      const between = await list("?created_at[gte]=2025-01-02T00:00:00Z&created_at[lte]=2025-01-04T00:00:00Z")
      expect(tags(between)).toEqual(["e4", "e3", "e2"])
      expect(between.data.count).toBe(3)
      expect(tags(await list("?created_at[gte]=2025-01-02T12:00:00Z&created_at[lte]=2025-01-02T13:00:00Z"))).toEqual([])
    })

    it("q matches emails, case-insensitively, with % and _ taken literally", async () => {
      expect(tags(await list("?q=ada@example"))).toEqual(["e6", "e2", "e1"])
      expect(tags(await list("?q=JANE@EXAMPLE.COM"))).toEqual(["e2", "e1"])
      // `_` is not "any character": bobxsmith (e6) must not match.
      expect(tags(await list(`?q=${encodeURIComponent("bob_smith")}`))).toEqual(["e5", "e3"])
      expect(tags(await list(`?q=${encodeURIComponent("b_b")}`))).toEqual([])
      // `%` is not "anything": only the address that holds one.
      expect(tags(await list(`?q=${encodeURIComponent("%")}`))).toEqual(["e4", "e3"])
      expect(tags(await list(`?q=${encodeURIComponent("50%off")}`))).toEqual(["e4", "e3"])
      const none = await list("?q=nobody-here")
      expect(none.data).toMatchObject({ log_entries: [], count: 0 })
    })

    it("limit and offset page through the list; count is the whole match", async () => {
      const first = await list("?limit=2")
      expect(tags(first)).toEqual(["e6", "e5"])
      expect(first.data).toMatchObject({ count: 6, limit: 2, offset: 0 })
      const second = await list("?limit=2&offset=2")
      expect(tags(second)).toEqual(["e4", "e3"])
      expect(second.data).toMatchObject({ count: 6, limit: 2, offset: 2 })
      const last = await list("?limit=4&offset=4")
      expect(tags(last)).toEqual(["e2", "e1"])
      const beyond = await list("?offset=10")
      expect(beyond.data).toMatchObject({ log_entries: [], count: 6, offset: 10 })
      const filtered = await list("?user_id=user_1&limit=1&offset=1&order=created_at")
      expect(tags(filtered)).toEqual(["e2"])
      expect(filtered.data).toMatchObject({ count: 3, limit: 1, offset: 1 })
    })
  })

  describe("validation", () => {
    const bad: Array<[string, string, string]> = [
      ["an unknown action", "?action=coffee_break", "action"],
      ["an unknown action among known ones", "?action=session_started&action=coffee_break", "action"],
      ["limit=0", "?limit=0", "limit"],
      ["limit=1000", "?limit=1000", "limit"],
      ["a non-numeric limit", "?limit=ten", "limit"],
      ["offset=-1", "?offset=-1", "offset"],
      ["a bad order", "?order=action", "order"],
      ["a bad created_at[gte]", "?created_at[gte]=yesterday", "created_at"],
      ["a bad created_at[lte]", "?created_at[lte]=2025-13-45", "created_at"],
      ["an unknown created_at operator", "?created_at[after]=2025-01-01", "after"],
      ["an unknown query parameter", "?colour=blue", "colour"],
    ]

    it.each(bad)("refuses %s with 400 naming the parameter, and writes nothing", async (_name, query, field) => {
      const res = await refusedWithoutWrites(getContainer(), () => list(query))
      expectInvalidData(res, field)
    })
  })

  describe("permission (RBAC off, access selected_admins)", () => {
    beforeEach(async () => {
      const container = getContainer()
      await api.post("/admin/login-as-customer/settings", { access: "selected_admins" }, admin.headers)
      await eventually(async () => (await service(container).listLoginAsCustomerLogEntries({})).length >= 1)
    })

    it("an admin without a grant gets 403 permission_denied, and nothing is written", async () => {
      const res = await refusedWithoutWrites(getContainer(), () => list())
      expect({ status: res.status, ...res.data }).toEqual({
        status: 403,
        type: "forbidden",
        code: "permission_denied",
        message: expect.any(String),
      })
    })

    it("a grant to log in only is not a grant to read the log", async () => {
      await service(getContainer()).createLoginAsCustomerAdminGrants({
        user_id: admin.id,
        can_login: true,
        can_view_log: false,
      })
      const res = await refusedWithoutWrites(getContainer(), () => list())
      expect(res.status).toBe(403)
      expect(res.data.code).toBe("permission_denied")
    })

    it("an admin granted can_view_log reads it", async () => {
      await service(getContainer()).createLoginAsCustomerAdminGrants({
        user_id: admin.id,
        can_login: false,
        can_view_log: true,
      })
      const res = await list()
      expect(res.status).toBe(200)
      expect(res.data.count).toBe(1)
      expect(res.data.log_entries[0]).toMatchObject({
        action: "settings_updated",
        details: { changes: { access: { from: "all_admins", to: "selected_admins" } } },
      })
    })

    it("another admin's grant does not count", async () => {
      const other = await createAdmin(api, getContainer(), "other@example.com")
      await service(getContainer()).createLoginAsCustomerAdminGrants({
        user_id: other.id,
        can_login: false,
        can_view_log: true,
      })
      const refused = await refusedWithoutWrites(getContainer(), () => list())
      expect(refused.status).toBe(403)
      const allowed = await api.get(ROUTE, other.headers)
      expect(allowed.status).toBe(200)
    })
  })
}
