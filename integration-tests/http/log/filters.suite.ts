import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { SuiteContext } from "../../helpers/suite"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"
import { LOG_SEARCH_TEXT } from "../../../src/modules/login-as-customer/service"
import { parseCsv } from "../../helpers/csv"
import { planWithOnlyIndex } from "../../helpers/db"
import { Actor, createAdmin, expectInvalidData } from "../../helpers/seed"

const LIST = "/admin/login-as-customer/log"
const EXPORT = "/admin/login-as-customer/log/export"

type People = { ada: string; bob: string; jane: string; john: string }

/**
 * Six lines between two admins (Ada Admin, Bob Marley) and two customers
 * (Jane Doe, John Smith), tagged in `details.tag`; two carry a reason.
 */
async function seed(container: MedusaContainer, adaId: string): Promise<People> {
  const bob = await container.resolve(Modules.USER).createUsers({ email: "bob@example.com", first_name: "Bob", last_name: "Marley" })
  const [jane, john] = await container.resolve(Modules.CUSTOMER).createCustomers([
    { email: "jane@example.com", first_name: "Jane", last_name: "Doe", has_account: true },
    { email: "jo@example.com", first_name: "John", last_name: "Smith", has_account: true },
  ])
  const people = { ada: adaId, bob: bob.id, jane: jane.id, john: john.id }
  const rows = [
    { tag: "e1", action: "ticket_issued", user: "ada", customer: "jane", session_id: "lacs_1", details: { reason: "Phone call, ticket ZD-4711", mode: "read_only" } },
    { tag: "e2", action: "session_started", user: "ada", customer: "jane", session_id: "lacs_1", details: { reason: "Phone call, ticket ZD-4711", mode: "full" } },
    { tag: "e3", action: "session_ended", user: "ada", customer: "jane", session_id: "lacs_1", details: {} },
    { tag: "e4", action: "ticket_issued", user: "bob", customer: "john", session_id: "lacs_2", details: { reason: "Chat #88", mode: "full" } },
    { tag: "e5", action: "assistance_updated", user: "bob", customer: "john", session_id: null, details: {} },
    { tag: "e6", action: "settings_updated", user: "ada", customer: null, session_id: null, details: {} },
  ] as const
  const emails: Record<string, string> = {
    ada: "admin@example.com",
    bob: "bob@example.com",
    jane: "jane@example.com",
    john: "jo@example.com",
  }
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  for (const [i, row] of rows.entries()) {
    const created_at = new Date(Date.UTC(2025, 0, 1 + i))
    await knex("login_as_customer_log_entry").insert({
      id: `lacl_f_${row.tag}`,
      event_id: `lacev_f_${row.tag}`,
      action: row.action,
      actor_type: "user",
      actor_id: people[row.user],
      user_id: people[row.user],
      user_email: emails[row.user],
      customer_id: row.customer ? people[row.customer] : null,
      customer_email: row.customer ? emails[row.customer] : null,
      session_id: row.session_id,
      details: JSON.stringify({ tag: row.tag, ...row.details }),
      created_at,
      updated_at: created_at,
    })
  }
  return people
}

export default function filtersSuite({ api, getContainer }: SuiteContext) {
  let admin: Actor
  let people: People

  beforeEach(async () => {
    admin = await createAdmin(api, getContainer())
    people = await seed(getContainer(), admin.id)
  })

  /** The tags the list shows for a query string. */
  const listed = async (query: string) => {
    const res = await api.get(`${LIST}?${query}`, admin.headers)
    expect(res.status).toBe(200)
    return res.data.log_entries.map((e: { details: { tag: string } }) => e.details.tag)
  }
  /** The tags the export writes for the same query string (its details column). */
  const exported = async (query: string) => {
    const res = await api.get(`${EXPORT}?${query}`, {
      ...admin.headers,
      responseType: "text",
      transformResponse: (x: unknown) => x,
    })
    expect(res.status).toBe(200)
    expect(res.headers["content-type"]).toMatch(/^text\/csv/)
    return parseCsv(res.data as string)
      .slice(1)
      .map((row) => JSON.parse(row[11]).tag)
  }
  /** The list and the export agree on a query, and both give `tags`. */
  const both = async (query: string, tags: string[]) => {
    expect(await listed(query)).toEqual(tags)
    expect(await exported(query)).toEqual(tags)
  }

  it("takes several admins as repeated, bracketed or comma-separated values, on the list and the export", async () => {
    const { ada, bob } = people
    await both(`user_id=${bob}`, ["e5", "e4"])
    await both(`user_id[0]=${bob}`, ["e5", "e4"])
    await both(`user_id[0]=${ada}&user_id[1]=${bob}`, ["e6", "e5", "e4", "e3", "e2", "e1"])
    await both(`user_id=${ada}&user_id=${bob}`, ["e6", "e5", "e4", "e3", "e2", "e1"])
    await both(`user_id=${ada},${bob}`, ["e6", "e5", "e4", "e3", "e2", "e1"])
    await both(`user_id=${bob},user_nobody`, ["e5", "e4"])
  })

  it("takes several customers and sessions the same way", async () => {
    const { jane, john } = people
    await both(`customer_id[0]=${jane}`, ["e3", "e2", "e1"])
    await both(`customer_id=${jane},${john}`, ["e5", "e4", "e3", "e2", "e1"])
    await both(`customer_id=${john}&customer_id=${jane}&action=ticket_issued`, ["e4", "e1"])
    await both("session_id[0]=lacs_2&session_id[1]=lacs_1", ["e4", "e3", "e2", "e1"])
  })

  it("exports two or more actions as CSV, as the list shows them", async () => {
    await both("action=ticket_issued,session_ended", ["e4", "e3", "e1"])
    await both("action[0]=ticket_issued&action[1]=session_ended&action[2]=settings_updated", ["e6", "e4", "e3", "e1"])
    await both(`action=ticket_issued&action=session_started&user_id[0]=${people.ada}`, ["e2", "e1"])
  })

  it("finds the ticket reference in a reason, and admins and customers by name", async () => {
    await both("q=zd-4711", ["e2", "e1"])
    await both(`q=${encodeURIComponent("chat #88")}`, ["e4"])
    // Names live in Medusa's user and customer modules, not in the log line.
    await both("q=marley", ["e5", "e4"])
    await both("q=Smith", ["e5", "e4"])
    await both(`q=${encodeURIComponent("Jane Doe")}`, ["e3", "e2", "e1"])
    await both(`q=${encodeURIComponent("Ada Admin")}`, ["e6", "e3", "e2", "e1"])
    // Still literal, and combined with the other filters.
    await both("q=ZD-4711&action=session_started", ["e2"])
    await both(`q=${encodeURIComponent("%")}`, [])
  })

  it("writes and finds a line holding a word longer than an index entry holds (an email or a reason lengthened in the database)", async () => {
    // 2 712 bytes is the most a GIN entry holds: the words index took each word whole, and the insert failed.
    const longReason = `ZD-9999 ${"x".repeat(3000)}`
    const longEmail = `${"\u023a\u023e".repeat(400)}${"q".repeat(900)}@example.com`
    const service = getContainer().resolve(LOGIN_AS_CUSTOMER_MODULE) as any
    expect(
      await service.recordLogEntry({
        event_id: "lacev_f_long",
        action: "store_action",
        actor_type: "user",
        actor_id: admin.id,
        user_id: admin.id,
        user_email: longEmail,
        details: { tag: "long", reason: longReason },
      })
    ).toBe(true)
    // By a whole word beside the long one, by a piece of the long word longer than the pieces the index holds, and by the long email's start.
    await both("q=zd-9999", ["long"])
    await both(`q=${"X".repeat(250)}`, ["long"])
    await both(`q=${encodeURIComponent("\u023a\u023e".repeat(50))}`, ["long"])
  })

  it("answers the text, reason included, through the trigram index", async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // Whether the search expression is the trigram index's own.
    const plan = await planWithOnlyIndex(
      knex,
      "IDX_login_as_customer_log_entry_search_trgm",
      `select "id" from "login_as_customer_log_entry" where "deleted_at" is null and ${LOG_SEARCH_TEXT} ilike ?`,
      ["%zd-4711%"]
    )
    expect(plan).toContain("Bitmap Index Scan on \"IDX_login_as_customer_log_entry_search_trgm\"")
  })

  it("refuses bad lists with 400 naming the parameter, on the list and the export", async () => {
    const bad: Array<[string, string]> = [
      ["action=session_started,coffee_break", "action"],
      ["action[0]=coffee_break", "action"],
      ["user_id=,", "user_id"],
      [`customer_id=${Array.from({ length: 101 }, (_, i) => `cus_${i}`).join(",")}`, "customer_id"],
      [`session_id[a]=lacs_1`, "session_id"],
    ]
    for (const [query, field] of bad) {
      for (const route of [LIST, EXPORT]) {
        const res = await api.get(`${route}?${query}`, admin.headers).catch((e: any) => e.response)
        expectInvalidData(res, field)
      }
    }
  })
}
