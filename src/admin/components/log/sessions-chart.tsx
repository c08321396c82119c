import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { localeTag } from "../../lib/locale"

type Props = { data: Array<{ date: string; sessions: number }> }

/** Days apart of the date axis' labels, counted back from today (the last one). */
const TICK_EVERY = 7

/**
 * Sessions per day as bars across the page's width (plain SVG, no chart
 * library), with a date axis under them and the scale beside them.
 */
export const SessionsChart = ({ data }: Props) => {
  const { t, i18n } = useTranslation()
  const max = Math.max(1, ...data.map((d) => d.sessions))
  const total = data.reduce((sum, d) => sum + d.sessions, 0)
  const height = 80
  const count = Math.max(1, data.length)
  const day = (date: string, options: Intl.DateTimeFormatOptions) =>
    new Date(`${date}T00:00:00Z`).toLocaleDateString(localeTag(i18n.language), { timeZone: "UTC", ...options })
  const ticks = data
    .map((d, i) => ({ ...d, i }))
    .filter(({ i }) => (data.length - 1 - i) % TICK_EVERY === 0)
  return (
    <div className="flex flex-col gap-y-2" data-testid="lac-chart">
      <Text size="small" weight="plus">
        {t("loginAsCustomer.log.chart")} · {total.toLocaleString(localeTag(i18n.language))}
      </Text>
      {/* Time runs left to right in every language, as in Medusa's own charts. */}
      <div className="flex gap-x-2" dir="ltr">
        <div className="text-ui-fg-muted txt-compact-xsmall flex h-20 flex-col justify-between text-right" aria-hidden>
          <span>{max.toLocaleString(localeTag(i18n.language))}</span>
          <span>0</span>
        </div>
        <div className="flex min-w-0 flex-1 flex-col gap-y-1">
          <svg
            viewBox={`0 0 ${count} ${height}`}
            preserveAspectRatio="none"
            className="border-ui-border-base h-20 w-full border-b"
            role="img"
            aria-label={`${t("loginAsCustomer.log.chart")}: ${total}`}
          >
            {data.map((d, i) => {
              const h = (d.sessions / max) * (height - 2)
              return (
                <rect
                  key={d.date}
                  x={i + 0.15}
                  y={height - Math.max(h, d.sessions ? 2 : 0)}
                  width={0.7}
                  height={Math.max(h, d.sessions ? 2 : 0)}
                  className="fill-ui-fg-interactive"
                >
                  <title>{`${day(d.date, { dateStyle: "medium" })}: ${d.sessions}`}</title>
                </rect>
              )
            })}
          </svg>
          <div className="text-ui-fg-muted txt-compact-xsmall relative h-4" aria-hidden>
            {ticks.map(({ date, i }) => (
              <span
                key={date}
                data-testid="lac-chart-tick"
                className="absolute whitespace-nowrap"
                style={
                  i === data.length - 1
                    ? { right: 0 }
                    : i < TICK_EVERY / 2
                      ? { left: 0 }
                      : { left: `${((i + 0.5) / count) * 100}%`, transform: "translateX(-50%)" }
                }
              >
                {day(date, { month: "short", day: "numeric" })}
              </span>
            ))}
          </div>
        </div>
      </div>
    </div>
  )
}
