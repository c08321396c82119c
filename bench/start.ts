// Admin start → ticket exchange → first store request, one after another,
// timed end to end. Next to it, the same shape of chain in stock Medusa on
// the store without the plugin (an admin change, a store change, the same
// store read), the floor any plugin's chain stands on.
import { call } from "../integration-tests/processes/client"
import { Bench, median, percentile, Row, timings } from "./harness"

const COUNT = 60
const WARMUP = 10

export default async function start({ baseline, plugin, shop }: Bench): Promise<Row[]> {
  const pk = shop.publishableKey
  const legs = { start: [] as number[], exchange: [] as number[], first: [] as number[] }
  const total = await timings(COUNT, WARMUP, async (i) => {
    const admin = shop.admins[i % 2]
    const customer = shop.customers[i % 2]
    const t0 = performance.now()
    const started = await call(plugin, "POST", `/admin/customers/${customer.id}/login-as-customer`, { token: admin.token, body: {} })
    if (started.status !== 201) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`)
    const t1 = performance.now()
    const ticket = new URLSearchParams(new URL(started.body.redirect_url).hash.slice(1)).get("ticket")
    const exchanged = await call(plugin, "POST", "/store/login-as-customer/sessions", { publishableKey: pk, body: { ticket } })
    if (exchanged.status !== 201) throw new Error(`exchange: ${exchanged.status} ${JSON.stringify(exchanged.body)}`)
    const t2 = performance.now()
    const me = await call(plugin, "GET", "/store/customers/me", { token: exchanged.body.token, publishableKey: pk })
    if (me.status !== 200) throw new Error(`first request: ${me.status}`)
    const t3 = performance.now()
    if (i >= WARMUP) {
      legs.start.push(t1 - t0)
      legs.exchange.push(t2 - t1)
      legs.first.push(t3 - t2)
    }
  })

  const stock = await timings(COUNT, WARMUP, async (i) => {
    const admin = shop.admins[i % 2]
    const customer = shop.customers[i % 2]
    const updated = await call(baseline, "POST", `/admin/customers/${customer.id}`, { token: admin.token, body: { company_name: `Bench ${i}` } })
    if (updated.status !== 200) throw new Error(`stock admin change: ${updated.status}`)
    const cart = await call(baseline, "POST", "/store/carts", { token: customer.token, publishableKey: pk, body: { region_id: shop.regionId } })
    if (cart.status !== 200) throw new Error(`stock store change: ${cart.status}`)
    const me = await call(baseline, "GET", "/store/customers/me", { token: customer.token, publishableKey: pk })
    if (me.status !== 200) throw new Error(`stock store read: ${me.status}`)
  })

  const p50 = median(total)
  const ms = (value: number) => value.toFixed(1)
  return [
    {
      measure: "admin start → ticket exchange → first store request, end to end (ms); baseline: stock Medusa's admin change → store change → store read",
      baseline: `p50 ${ms(median(stock))}, p99 ${ms(percentile(stock, 99))}`,
      plugin: `p50 ${ms(p50)}, p99 ${ms(percentile(total, 99))} (p50 start ${ms(median(legs.start))}, exchange ${ms(median(legs.exchange))}, first request ${ms(median(legs.first))})`,
      ratio: p50 / median(stock),
      target: "p50 ≤ 40 ms",
      pass: p50 <= 40,
    },
  ]
}
