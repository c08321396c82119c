// The plugin installed but not in use: ordinary store requests, with the
// plugin vs the same store without it.
import { Bench, Row, sideBySide, throughput } from "./harness"

export default async function idle({ baseline, baselineAgain, plugin, shop }: Bench): Promise<Row[]> {
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
  // The same store in two processes, measured the same way: how far apart two
  // sides are when nothing differs but the process (its JIT, heap, caches).
  const urlPath = "/store/products"
  await throughput(baselineAgain, urlPath, pk)
  const noise = await sideBySide(() => throughput(baseline, urlPath, pk), () => throughput(baselineAgain, urlPath, pk))
  rows.push({
    measure: "noise floor: GET /store/products on the store without the plugin vs a second process of it (req/s)",
    baseline: noise.a.toFixed(0),
    plugin: noise.b.toFixed(0),
    ratio: noise.ratio,
    target: "none: shows how far 1.000 two identical sides land",
    pass: true,
  })
  return rows
}
