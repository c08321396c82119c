// The admin's log list with each filter, on the seeded million rows.
import { call } from "../integration-tests/processes/client"
import { Bench, LOG_ROWS, median, percentile, Row, timings } from "./harness"
import type { SeededLog } from "./seed-log"

export default async function logList({ plugin, shop }: Bench, seeded: SeededLog): Promise<Row[]> {
  const token = shop.admins[0].token
  const { sample } = seeded
  const filters: Array<[string, string]> = [
    ["none", ""],
    ["admin", `user_id=${sample.user_id}`],
    ["customer", `customer_id=${sample.customer_id}`],
    ["action", `action=${sample.action}`],
    ["date range (a week)", `created_at[gte]=${sample.from}&created_at[lte]=${sample.to}`],
    [`text "${sample.text}"`, `q=${encodeURIComponent(sample.text)}`],
  ]
  const rows: Row[] = []
  for (const [label, query] of filters) {
    let body: { count: number; count_estimated: boolean } | undefined
    const durations = await timings(20, 3, async () => {
      const answer = await call(plugin, "GET", `/admin/login-as-customer/log?limit=50&${query}`, { token })
      if (answer.status !== 200) throw new Error(`log ${label}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`)
      body = answer.body
    })
    const p = median(durations)
    rows.push({
      measure: `log list, 50 rows of ${LOG_ROWS.toLocaleString("en")}, filter: ${label} (ms; count)`,
      baseline: "",
      plugin: `p50 ${p.toFixed(1)}, p99 ${percentile(durations, 99).toFixed(1)}; ${body!.count_estimated ? "~" : ""}${body!.count.toLocaleString("en")}`,
      ratio: null,
      target: "p50 ≤ 50 ms",
      pass: p <= 50,
    })
  }
  return rows
}
