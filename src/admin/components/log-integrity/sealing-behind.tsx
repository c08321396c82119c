import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { formatDate } from "../../lib/locale"

/** Lines are sealed within about a minute: one unsealed for longer than this means the seal job is failing or held back. */
export const SEALING_BEHIND_MS = 5 * 60_000

/**
 * Log health's warning that sealing is behind: the oldest line not sealed
 * yet was written more than five minutes before `now`, though the seal job
 * runs every minute (it fails, or a database session holds the seal's
 * lock). Nothing when lines are sealed in time, when every line is sealed,
 * or when sealing has stopped (SealingStopped says so and why).
 */
export const SealingBehind = ({
  oldestUnsealedAt,
  stopped,
  now = Date.now(),
}: {
  oldestUnsealedAt: string | null | undefined
  stopped: unknown
  now?: number
}) => {
  const { t, i18n } = useTranslation()
  const written = oldestUnsealedAt ? Date.parse(oldestUnsealedAt) : NaN
  if (stopped || !(now - written > SEALING_BEHIND_MS)) {
    return null
  }
  return (
    <div className="px-6 py-4">
      <Text size="small" className="text-ui-fg-error" data-testid="lac-log-health-sealing-behind">
        {t("loginAsCustomer.logIntegrity.sealingBehind", { time: formatDate(oldestUnsealedAt, i18n.language) })}
      </Text>
    </div>
  )
}
