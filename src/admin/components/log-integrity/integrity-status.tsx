import { Button, StatusBadge, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { useLogVerification } from "../../hooks/api/log-integrity"
import { localeTag } from "../../lib/locale"
import { mismatchPlace, verifiedThrough } from "../../lib/verification-text"

const when = (iso: string, language: string | undefined) =>
  new Date(iso).toLocaleString(localeTag(language), { dateStyle: "medium", timeStyle: "medium" })

/**
 * The log's integrity, on the log page: "Integrity verified through <time>",
 * or the first checkpoint and line that fail; and a warning when the
 * checkpoints are not signed.
 */
export const IntegrityStatus = () => {
  const { t, i18n } = useTranslation()
  const verification = useLogVerification()
  const result = verification.data
  if (verification.error?.status === 403) {
    return null
  }
  return (
    <div className="flex flex-col gap-y-1" data-testid="lac-log-integrity" aria-live="polite">
      <div className="flex flex-wrap items-center gap-2">
        {!result ? (
          <Text size="small" className="text-ui-fg-subtle">
            {t("loginAsCustomer.logIntegrity.checking")}
          </Text>
        ) : result.verified ? (
          <StatusBadge color="green" data-testid="lac-log-integrity-verified">
            {verifiedThrough(t, result.verified_through && when(result.verified_through, i18n.language))}
          </StatusBadge>
        ) : (
          <StatusBadge color="red" data-testid="lac-log-integrity-failed">
            {t("loginAsCustomer.logIntegrity.failed")}
          </StatusBadge>
        )}
        <Button
          size="small"
          variant="transparent"
          isLoading={verification.isFetching}
          onClick={() => verification.refetch()}
          data-testid="lac-log-integrity-verify"
        >
          {t("loginAsCustomer.logIntegrity.verifyAgain")}
        </Button>
      </div>
      {result?.first_mismatch && (
        <Text size="small" className="text-ui-fg-error" role="alert" data-testid="lac-log-integrity-mismatch">
          {mismatchPlace(t, result.first_mismatch)}{" "}
          <code className="text-ui-fg-subtle">{result.first_mismatch.kind}</code>
        </Text>
      )}
      {result && !result.signed && (
        <Text size="small" className="text-ui-fg-subtle" data-testid="lac-log-integrity-unsigned">
          {t("loginAsCustomer.logIntegrity.unsigned")}
        </Text>
      )}
    </div>
  )
}
