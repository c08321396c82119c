// The CSV export of every log row, several times: rows per second, and how
// much the server's resident memory grows at its peak.
import fs from "fs"
import { Bench, median, Row } from "./harness"

/** Exports measured one after the other: `BENCH_EXPORT_RUNS`, default 3; the row gives the median rate. */
const RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 3)

export default async function exportCsv({ plugin, shop }: Bench): Promise<Row[]> {
  const rss = () => {
    const status = fs.readFileSync(`/proc/${plugin.child.pid}/status`, "utf8")
    return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024
  }
  const runs: Array<{ exported: number; rate: number; growth: number }> = []
  for (let run = 0; run < RUNS; run++) {
    const before = rss()
    let peak = before
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20)
    const t0 = performance.now()
    const response = await fetch(`${plugin.url}/admin/login-as-customer/log/export`, {
      headers: { authorization: `Bearer ${shop.admins[0].token}` },
    })
    if (response.status !== 200) throw new Error(`export: ${response.status}`)
    let lineCount = 0
    const reader = response.body!.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      for (let at = value.indexOf(10); at !== -1; at = value.indexOf(10, at + 1)) lineCount++
    }
    const seconds = (performance.now() - t0) / 1000
    clearInterval(sampler)
    peak = Math.max(peak, rss())
    // The header aside; a value with a line break inside quotes would add lines, the seeded ones have none.
    const exported = lineCount - 1
    runs.push({ exported, rate: exported / seconds, growth: (peak - before) / 1024 / 1024 })
    console.log(`export ${run + 1}: ${Math.round(exported / seconds).toLocaleString("en")} rows/s, +${runs[run].growth.toFixed(0)} MB`)
  }
  const rate = median(runs.map((r) => r.rate))
  const growth = Math.max(...runs.map((r) => r.growth))
  const range = runs.length > 1 ? ` (${runs.map((r) => Math.round(r.rate).toLocaleString("en")).join(", ")})` : ""
  return [
    {
      measure: `CSV export of ${runs[0].exported.toLocaleString("en")} rows (rows/s, median of ${runs.length}; server's peak RSS growth)`,
      baseline: "",
      plugin: `${Math.round(rate).toLocaleString("en")} rows/s${range}; +${growth.toFixed(0)} MB`,
      ratio: null,
      target: "≥ 300 000 rows/s; ≤ 100 MB",
      pass: rate >= 300_000 && growth <= 100,
    },
  ]
}
