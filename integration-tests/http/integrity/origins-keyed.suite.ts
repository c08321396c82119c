import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { setupStore } from "../../helpers/fixtures"
import type { SuiteContext } from "../../helpers/suite"
import { LOG } from "./integrity-helpers"

/**
 * With the log's key, the storefront origins on record are the app's own
 * newest `storefront_origins_changed` line's: one inserted by SQL is not.
 */
export default function originsKeyedSuite({ api, getContainer }: SuiteContext) {
  const knex = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const originsLines = async () =>
    (
      await knex().raw(`select "id", "details" from ${LOG} where "action" = 'storefront_origins_changed' order by "created_at", "id"`)
    ).rows as Array<{ id: string; details: { from: unknown; to: string[] } }>

  it("a storefront_origins_changed line inserted by SQL, dated ahead, neither makes a start log a change nor is taken for the list on record", async () => {
    const store = await setupStore(api as never, getContainer())
    const start = () => api.post(`/admin/customers/${store.jane.id}/login-as-customer`, {}, store.admin.headers)
    expect((await start()).status).toBe(201)
    const before = await originsLines()
    const inForce = before[before.length - 1].details.to

    // The database's owner inserts a line, dated 23 hours ahead, naming another list.
    await knex().raw(
      `insert into ${LOG} ("id", "event_id", "action", "actor_type", "details", "created_at", "updated_at")
       values ('lacl_FORGEDORIGINS00000000001', 'lacev_forged_origins_1', 'storefront_origins_changed', 'system', ?::jsonb,
               now() + interval '23 hours', now())`,
      [JSON.stringify({ from: inForce, to: [...inForce, "https://evil.example"], source: "env" })]
    )
    expect((await start()).status).toBe(201)
    expect((await start()).status).toBe(201)
    // No line of a change that didn't happen: the list in force is on record in the app's own line.
    expect((await originsLines()).map((line) => line.id)).toEqual([...before.map((line) => line.id), "lacl_FORGEDORIGINS00000000001"])
  })
}
