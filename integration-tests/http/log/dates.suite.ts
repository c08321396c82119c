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
}
