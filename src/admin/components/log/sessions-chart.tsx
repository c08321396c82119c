import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"

type Props = { data: Array<{ date: string; sessions: number }> }

/** A small bar chart of sessions per day (plain SVG, no chart library). */
export const SessionsChart = ({ data }: Props) => {
  const { t, i18n } = useTranslation()
  const max = Math.max(1, ...data.map((d) => d.sessions))
  const width = 600
  const height = 80
  const bar = width / Math.max(1, data.length)
  const total = data.reduce((sum, d) => sum + d.sessions, 0)
  return (
    <div className="flex flex-col gap-y-2" data-testid="lac-chart">
      <Text size="small" weight="plus">
        {t("loginAsCustomer.log.chart")} · {total}
      </Text>
      <svg viewBox={`0 0 ${width} ${height}`} className="h-20 w-full" role="img" aria-label={t("loginAsCustomer.log.chart")}>
        {data.map((d, i) => {
          const h = (d.sessions / max) * (height - 4)
          const label = `${new Date(`${d.date}T00:00:00Z`).toLocaleDateString(i18n.language, { timeZone: "UTC" })}: ${d.sessions}`
          return (
            <rect
              key={d.date}
              x={i * bar + 1}
              y={height - h}
              width={Math.max(1, bar - 2)}
              height={Math.max(h, d.sessions ? 2 : 0)}
              className="fill-ui-fg-interactive"
            >
              <title>{label}</title>
            </rect>
          )
        })}
      </svg>
    </div>
  )
}
