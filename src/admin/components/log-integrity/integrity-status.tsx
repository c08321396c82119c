import { Button, StatusBadge, Text } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useLogVerification, useStaleLogVerification } from "../../hooks/api/log-integrity"
import type { KeptCheckpoint } from "../../lib/kept-checkpoint"
import { localeTag } from "../../lib/locale"
import { anchorOutcome, mismatchKindText, mismatchPlace, verifiedThrough } from "../../lib/verification-text"
import { GuardsRewritten } from "./guards-rewritten"
import { KeptCheckpointForm } from "./kept-checkpoint-form"

const when = (iso: string, language: string | undefined) =>
  new Date(iso).toLocaleString(localeTag(language), { dateStyle: "medium", timeStyle: "medium" })

/**
 * The log's integrity, on the log page: "Integrity verified through <time>",
 * or the first checkpoint and line that fail; and a warning when the
 * checkpoints are not signed. A checkpoint kept outside the database can be
 * pasted in: verification then also checks the chain still holds it.
 */
export const IntegrityStatus = () => {
  const { t, i18n } = useTranslation()
  const [anchor, setAnchor] = useState<KeptCheckpoint | null>(null)
  const verification = useLogVerification(true, anchor)
  const markStale = useStaleLogVerification()
  const result = verification.data
  if (verification.error?.status === 403) {
    return null
  }
  const kept = anchor && !verification.isFetching ? anchorOutcome(t, result?.anchor) : null
  const kind = result?.first_mismatch && mismatchKindText(t, result.first_mismatch.kind)
  return (
    <div className="flex flex-col gap-y-1" data-testid="lac-log-integrity">
      <div className="flex flex-col gap-y-1" aria-live="polite">
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
        {kept && (
          <div data-testid="lac-log-integrity-anchor">
            {kept.tone === "ok" ? (
              <StatusBadge color="green">{kept.text}</StatusBadge>
            ) : (
              <Text size="small" className="text-ui-fg-subtle">
                {kept.text}
              </Text>
            )}
          </div>
        )}
        {result?.first_mismatch && (
          <Text size="small" className="text-ui-fg-error" role="alert" data-testid="lac-log-integrity-mismatch">
            {mismatchPlace(t, result.first_mismatch)}
            {kind && ` · ${kind}`} <code className="text-ui-fg-subtle">{result.first_mismatch.kind}</code>
          </Text>
        )}
        <GuardsRewritten rewritten={result?.guards_rewritten} />
        {result && !result.signed && (
          <Text size="small" className="text-ui-fg-subtle" data-testid="lac-log-integrity-unsigned">
            {t("loginAsCustomer.logIntegrity.unsigned")}
          </Text>
        )}
      </div>
      <KeptCheckpointForm
        anchor={anchor}
        onAnchor={(next) => {
          // Back to the plain verification: asked again, it is what the settings page shows as the last one.
          if (!next) markStale()
          setAnchor(next)
        }}
      />
    </div>
  )
}
