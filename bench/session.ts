// The plugin in use: the same requests in an impersonation session vs the
// customer's own session, on the store with the plugin.
import { impersonate } from "../integration-tests/processes/client"
import { Bench, Row, sideBySide, throughput } from "./harness"

export default async function session({ plugin, shop }: Bench): Promise<Row[]> {
  const pk = { "x-publishable-api-key": shop.publishableKey }
  const customer = shop.customers[1]
  const { token } = await impersonate(plugin, plugin, shop, shop.admins[0], customer)
  const own = { ...pk, authorization: `Bearer ${customer.token}` }
  const assisted = { ...pk, authorization: `Bearer ${token}` }
  const rows: Row[] = []
  for (const [label, urlPath] of [
    ["GET /store/products", "/store/products"],
    ["GET /store/customers/me", "/store/customers/me"],
  ] as const) {
    await throughput(plugin, urlPath, own)
    await throughput(plugin, urlPath, assisted)
    const r = await sideBySide(() => throughput(plugin, urlPath, own), () => throughput(plugin, urlPath, assisted))
    rows.push({
      measure: `${label}: impersonation session vs the customer's own (req/s)`,
      baseline: r.a.toFixed(0),
      plugin: r.b.toFixed(0),
      ratio: r.ratio,
      target: "≥ 0.90",
      pass: r.ratio >= 0.9,
    })
  }
  return rows
}
