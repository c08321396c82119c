import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { SuiteContext } from "../../helpers/suite"
import { createAdmin, expectInvalidData, refusedWithoutWrites } from "../../helpers/seed"

/** Two lines: 2026-03-01 23:30 and 2026-03-02 12:00 (UTC). */
async function seed(container: MedusaContainer) {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  for (const [tag, at] of [["m1", "2026-03-01T23:30:00Z"], ["m2", "2026-03-02T12:00:00Z"]]) {
    await knex("login_as_customer_log_entry").insert({
      id: `lacl_dates_${tag}`,
      event_id: `lacev_dates_${tag}`,
      action: "settings_updated",
      actor_type: "user",
      actor_id: "user_1",
      user_id: "user_1",
      details: JSON.stringify({ tag }),
      created_at: new Date(at),
      updated_at: new Date(at),
    })
  }
}

/** The log's date filters: impossible dates and times are refused, not rolled over to another day. */
export default function datesSuite({ api, getContainer }: SuiteContext) {
  let headers: any
  beforeEach(async () => {
    headers = (await createAdmin(api as never, getContainer())).headers
    await seed(getContainer())
  })
  const tags = (res: any) => res.data.log_entries.map((e: { details: { tag: string } }) => e.details.tag)

  it.each([
    ["/admin/login-as-customer/log", "created_at[gte]=2026-02-30", /February 2026 has days 01 to 28/],
    ["/admin/login-as-customer/log", "created_at[lte]=2026-04-31T10:00:00%2B02:00", /April 2026 has days 01 to 30/],
    ["/admin/login-as-customer/log", "created_at[gte]=2026-03-01T24:30:00Z", /not a time of day/],
    ["/admin/login-as-customer/log/export", "created_at[gte]=2026-02-29T10:00:00Z", /February 2026 has days 01 to 28/],
    ["/admin/login-as-customer/log/export", "created_at[lte]=2026-03-01T12:61:00Z", /not a time of day/],
  ])("%s?%s answers 400 saying what is wrong, and writes nothing", async (route, query, why) => {
    const res = await refusedWithoutWrites(getContainer(), () => api.get(`${route}?${query}`, headers))
    expectInvalidData(res, "created_at")
    expect(res.data.message).toMatch(why)
  })

  it("takes real dates and date-times with offsets as before", async () => {
    // 2026-03-01 (a date alone is UTC midnight) keeps both lines.
    expect(tags(await api.get("/admin/login-as-customer/log?created_at[gte]=2026-03-01", headers))).toEqual(["m2", "m1"])
    // 2026-03-02T00:00+01:00 is 2026-03-01T23:00Z.
    const offset = encodeURIComponent("2026-03-02T00:00:00+01:00")
    expect(tags(await api.get(`/admin/login-as-customer/log?created_at[gte]=${offset}`, headers))).toEqual(["m2", "m1"])
    const late = encodeURIComponent("2026-03-02T01:00:00+01:00")
    expect(tags(await api.get(`/admin/login-as-customer/log?created_at[gte]=${late}`, headers))).toEqual(["m2"])
    const exported = await api.get(`/admin/login-as-customer/log/export?created_at[lte]=${encodeURIComponent("2026-03-01T23:59:59.999Z")}`, headers)
    expect(exported.status).toBe(200)
    expect(String(exported.data)).toContain("lacl_dates_m1")
    expect(String(exported.data)).not.toContain("lacl_dates_m2")
  })

  it("takes each bound to the microsecond, an upper one with the whole of its last field: the day, the second, the millisecond", async () => {
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    await knex.raw(`
        insert into login_as_customer_log_entry (id, action, actor_type, user_id, details, created_at)
        values ('lacl_dates_m3', 'settings_updated', 'user', 'user_1', '{"tag": "m3"}', timestamptz '2026-03-02 12:00:09.570498+00')`)
    const found = async (query: string) => tags(await api.get(`/admin/login-as-customer/log?${query}`, headers))
    // The list shows m3's time to the millisecond: as either bound, it keeps m3.
    const shown = (await api.get("/admin/login-as-customer/log?limit=1", headers)).data.log_entries[0].created_at as string
    expect(shown).toBe("2026-03-02T12:00:09.570Z")
    expect(await found(`created_at[lte]=${encodeURIComponent(shown)}`)).toEqual(["m3", "m2", "m1"])
    expect(await found(`created_at[gte]=${encodeURIComponent(shown)}`)).toEqual(["m3"])
    // To the microsecond, either side of it.
    const at = (micros: string) => encodeURIComponent(`2026-03-02T12:00:09.570${micros}Z`)
    expect(await found(`created_at[lte]=${at("497")}`)).toEqual(["m2", "m1"])
    expect(await found(`created_at[lte]=${at("498")}&created_at[gte]=${at("498")}`)).toEqual(["m3"])
    expect(await found(`created_at[gte]=${at("499")}`)).toEqual([])
    // A date alone as the upper bound is the whole day (m1 at 23:30); a second, the whole second; 24:00, the day's end.
    expect(await found("created_at[lte]=2026-03-01")).toEqual(["m1"])
    expect(await found("created_at[gte]=2026-03-01&created_at[lte]=2026-03-01")).toEqual(["m1"])
    expect(await found(`created_at[lte]=${encodeURIComponent("2026-03-02T12:00:09Z")}`)).toEqual(["m3", "m2", "m1"])
    expect(await found(`created_at[lte]=${encodeURIComponent("2026-03-01T24:00:00Z")}`)).toEqual(["m1"])
    const exported = await api.get(`/admin/login-as-customer/log/export?created_at[lte]=${encodeURIComponent(shown)}&created_at[gte]=${encodeURIComponent(shown)}`, headers)
    expect(String(exported.data)).toContain("lacl_dates_m3")
  })
}
