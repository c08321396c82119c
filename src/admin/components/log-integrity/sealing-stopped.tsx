import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"

/**
 * Log health's warning that sealing has stopped: the newest checkpoint row
 * was not written by the seal job or retention (inserted or changed with
 * SQL), so the seal job seals nothing more until it is explained. The
 * server's reason is shown as it says it, as technical detail. Nothing
 * when sealing goes on.
 */
export const SealingStopped = ({ stopped }: { stopped: { seq: number; reason: string } | null | undefined }) => {
  const { t } = useTranslation()
  if (!stopped) {
    return null
  }
  return (
    <div className="px-6 py-4">
      <Text size="small" className="text-ui-fg-error" data-testid="lac-log-health-sealing-stopped">
        {/* The seq as "Checkpoint to keep" writes it, digits only: the one a merchant compares and copies. */}
        {t("loginAsCustomer.logIntegrity.sealingStopped", { seq: stopped.seq })}{" "}
        {/* English from the server: left to right as a whole, also inside a right-to-left sentence. */}
        <code dir="ltr" className="text-ui-fg-subtle">
          {stopped.reason}
        </code>
      </Text>
    </div>
  )
}
