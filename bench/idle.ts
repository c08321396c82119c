// The plugin installed but not in use: ordinary store requests, with the
// plugin vs the same store without it.
import { Bench, Row, sideBySide, throughput } from "./harness"

export default async function idle({ baseline, plugin, shop }: Bench): Promise<Row[]> {
  const pk = { "x-publishable-api-key": shop.publishableKey }
  const asCustomer = { ...pk, authorization: `Bearer ${shop.customers[0].token}` }
  const rows: Row[] = []
  for (const [label, urlPath, headers] of [
    ["GET /store/products", "/store/products", pk],
    ["GET /store/customers/me", "/store/customers/me", asCustomer],
  ] as const) {
    // Warm both (JIT, pools, caches) before anything counts.
    await throughput(baseline, urlPath, headers)
    await throughput(plugin, urlPath, headers)
    const r = await sideBySide(() => throughput(baseline, urlPath, headers), () => throughput(plugin, urlPath, headers))
    rows.push({
      measure: `${label}, not impersonating: with the plugin vs without (req/s)`,
      baseline: r.a.toFixed(0),
      plugin: r.b.toFixed(0),
      ratio: r.ratio,
      target: "≥ 0.98",
      pass: r.ratio >= 0.98,
    })
  }
  return rows
}
