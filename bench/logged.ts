// Mutating store requests in one impersonation session, 8 at a time: every
// one answered must be in the log exactly once.
import { call, impersonate, sql } from "../integration-tests/processes/client"
import { Bench, Row } from "./harness"

const CLIENTS = 8
const EACH = 50

export default async function logged({ plugin, shop, database }: Bench): Promise<Row[]> {
  const session = await impersonate(plugin, plugin, shop, shop.admins[0], shop.customers[0])
  const carts: string[] = []
  let failures = 0
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = 0; i < EACH; i++) {
        const answer = await call(plugin, "POST", "/store/carts", {
          token: session.token,
          publishableKey: shop.publishableKey,
          body: { region_id: shop.regionId },
        })
        if (answer.status === 200) carts.push(answer.body.cart.id)
        else failures++
      }
    })
  )
  // Lines are written before the answer is sent: nothing to wait for.
  const lines = await sql<{ id: string; n: number }>(
    database,
    `select rid as id, count(*)::int as n from login_as_customer_log_entry, jsonb_array_elements_text(details->'resource_ids') rid
      where action = 'store_action' and session_id = $1 group by rid`,
    [session.sessionId]
  )
  const byId = new Map(lines.map((l) => [l.id, l.n]))
  const lost = carts.filter((id) => !byId.get(id)).length
  const doubled = carts.filter((id) => (byId.get(id) ?? 0) > 1).length
  return [
    {
      measure: `POST /store/carts in one session, ${CLIENTS} at a time (${carts.length} answered 200, ${failures} failed): lost / doubled log lines`,
      baseline: "",
      plugin: `${lost} / ${doubled}`,
      ratio: null,
      target: "0 / 0",
      pass: lost === 0 && doubled === 0 && failures === 0,
    },
  ]
}
