import { Button, Input, Label, StatusBadge, Text, toast } from "@medusajs/ui"
import { useIsMutating } from "@tanstack/react-query"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useUpdateSettings } from "../../../../hooks/api/login-as-customer"
import {
  FULL_VERIFICATION_KEY,
  useFullLogVerification,
  useLogHealth,
  useMayVerifyLog,
  type LogHealth,
} from "../../../../hooks/api/log-integrity"
import { errorMessage } from "../../../../lib/errors"
import { formatSize, healthDate, passedOverText } from "../../../../lib/log-health-text"
import { formatDate, localeTag } from "../../../../lib/locale"
import { CheckpointToKeep } from "../../../../components/log-integrity/checkpoint-to-keep"
import { SealingBehind } from "../../../../components/log-integrity/sealing-behind"
import { SealingStopped } from "../../../../components/log-integrity/sealing-stopped"
import { GuardsChanged } from "../../../../components/log-integrity/guards-changed"
import {
  mismatchKindText,
  mismatchPlace,
  verificationKind,
  verificationSummary,
  verifiedThrough,
} from "../../../../lib/verification-text"
import { EditDrawer, FieldErrors } from "./edit-drawer"
import { Note, Row, Section } from "./section"

/**
 * The log's own health on the settings page: lines, size on disk, oldest
 * line, last seal (and that sealing has stopped, when a checkpoint row was
 * added or changed with SQL, or is behind, when a line waits unsealed for
 * more than five minutes), the log's triggers changed in the database, last verification (and a full one on demand)
 * and the retention (editable here).
 */
export const LogHealthSection = ({ retentionDays }: { retentionDays: number | null }) => {
  const { t, i18n } = useTranslation()
  const health = useLogHealth()
  const update = useUpdateSettings()
  const [editing, setEditing] = useState(false)
  if (health.error?.status === 403) {
    return null
  }
  const h = health.data?.health
  const retention =
    retentionDays == null ? t("loginAsCustomer.logIntegrity.forever") : t("loginAsCustomer.logIntegrity.days", { count: retentionDays })
  return (
    <Section
      id="log-health"
      title={t("loginAsCustomer.logIntegrity.health")}
      onEdit={() => setEditing(true)}
    >
      <Row label={t("loginAsCustomer.logIntegrity.lines")} testId="lac-log-health-lines">
        {h ? `${h.lines_estimated ? "≈ " : ""}${h.lines.toLocaleString(localeTag(i18n.language))}` : "…"}
      </Row>
      <Row label={t("loginAsCustomer.logIntegrity.size")}>{h ? formatSize(h.size_bytes, i18n.language) : "…"}</Row>
      <Row label={t("loginAsCustomer.logIntegrity.oldest")}>{h ? healthDate(t, h.oldest_line_at, "oldest", i18n.language) : "…"}</Row>
      <Row label={t("loginAsCustomer.logIntegrity.lastSeal")} testId="lac-log-health-seal">
        {h ? healthDate(t, h.last_seal?.at, "seal", i18n.language) : "…"}
      </Row>
      <SealingStopped stopped={h?.sealing_stopped} />
      <GuardsChanged changed={h?.guards_changed} />
      <SealingBehind
        oldestUnsealedAt={h?.oldest_unsealed_at}
        stopped={h?.sealing_stopped}
        now={h?.checked_at ? Date.parse(h.checked_at) : undefined}
      />
      {h?.last_seal?.digest && (
        <Row label={t("loginAsCustomer.logIntegrity.checkpointToKeep")} testId="lac-log-health-checkpoint">
          <CheckpointToKeep checkpoint={{ seq: h.last_seal.seq, digest: h.last_seal.digest }} />
        </Row>
      )}
      <Row label={t("loginAsCustomer.logIntegrity.lastVerification")} testId="lac-log-health-verification">
        <div className="flex flex-col items-start gap-y-2">
          <LastVerification health={h} />
          <FullCheck />
        </div>
      </Row>
      <Row label={t("loginAsCustomer.logIntegrity.retention")} testId="lac-log-health-retention">
        {retention}
      </Row>
      {h && !h.signing_key && (
        <Note>{t("loginAsCustomer.logIntegrity.unsigned")}</Note>
      )}
      {editing && (
        <EditDrawer<{ days: string }>
          id="log-health"
          title={t("loginAsCustomer.logIntegrity.health")}
          initial={{ days: retentionDays == null ? "" : String(retentionDays) }}
          onClose={() => setEditing(false)}
          validate={(draft) => {
            const errors: FieldErrors = {}
            const value = draft.days.trim()
            if (value !== "" && !(Number.isInteger(Number(value)) && Number(value) >= 1 && Number(value) <= 36500)) {
              errors.days = t("loginAsCustomer.settings.rangeError", { min: 1, max: 36500 })
            }
            return errors
          }}
          onSave={(draft) =>
            update.mutateAsync({ log_retention_days: draft.days.trim() === "" ? null : Number(draft.days.trim()) })
          }
        >
          {(draft, setDraft, errors) => (
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="lac-log-retention-days" size="small" weight="plus">
                {t("loginAsCustomer.logIntegrity.retentionDays")}
              </Label>
              <Input
                id="lac-log-retention-days"
                type="number"
                inputMode="numeric"
                min={1}
                max={36500}
                step={1}
                value={draft.days}
                onChange={(event) => setDraft({ days: event.target.value })}
                aria-invalid={!!errors.days}
                aria-describedby={errors.days ? "lac-log-retention-days-error" : undefined}
              />
              {errors.days && (
                <Text id="lac-log-retention-days-error" size="small" className="text-ui-fg-error">
                  {errors.days}
                </Text>
              )}
            </div>
          )}
        </EditDrawer>
      )}
    </Section>
  )
}

/**
 * The last verification: its result and when, which kind it was (quick: only
 * lines rewritten since their insert recomputed; full: every line), and the
 * time it verified the log through, or where the first mismatch is.
 */
const LastVerification = ({ health }: { health: LogHealth | undefined }) => {
  const { t, i18n } = useTranslation()
  const last = health?.last_verification
  // Records inserted by SQL after the real one, which a shown record would otherwise hide.
  const passed = passedOverText(t, health?.verifications_passed_over, i18n.language)
  const passedOver = passed && (
    <Text size="small" className="text-ui-fg-error" data-testid="lac-log-health-passed-over">
      {passed}
    </Text>
  )
  if (!last) {
    return (
      <>
        <Text size="small" leading="compact">
          {health ? healthDate(t, null, "verification", i18n.language) : "…"}
        </Text>
        {passedOver}
      </>
    )
  }
  return (
    <>
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge color={last.verified ? "green" : "red"}>
          {t(last.verified ? "loginAsCustomer.logIntegrity.verified" : "loginAsCustomer.logIntegrity.failed")}
        </StatusBadge>
        <Text size="small" leading="compact" data-testid="lac-log-health-verification-kind">
          {[formatDate(last.at, i18n.language), verificationKind(t, last.mode)].filter(Boolean).join(" · ")}
        </Text>
      </div>
      {last.verified ? (
        <Text size="small" leading="compact" className="text-ui-fg-subtle">
          {verifiedThrough(t, last.verified_through && formatDate(last.verified_through, i18n.language))}
        </Text>
      ) : (
        last.first_mismatch && (
          <Text size="small" className="text-ui-fg-error" data-testid="lac-log-health-mismatch">
            {mismatchPlace(t, last.first_mismatch)}
            {mismatchKindText(t, last.first_mismatch.kind) && ` · ${mismatchKindText(t, last.first_mismatch.kind)}`}{" "}
            <code className="text-ui-fg-subtle">{last.first_mismatch.kind}</code>
          </Text>
        )
      )}
      {passedOver}
    </>
  )
}

/**
 * "Run full check" (for admins who may view the log): recomputes every line,
 * which takes minutes on a large log, so it shows it is running and can't be
 * started twice, also from this page opened again meanwhile. Its result
 * becomes the last verification above.
 */
const FullCheck = () => {
  const { t, i18n } = useTranslation()
  const mayVerify = useMayVerifyLog()
  const check = useFullLogVerification()
  const running = useIsMutating({ mutationKey: FULL_VERIFICATION_KEY }) > 0 || check.isPending
  if (!mayVerify) {
    return null
  }
  const run = () =>
    check.mutate(undefined, {
      onSuccess: (result) => {
        const summary = verificationSummary(t, result, i18n.language)
        if (result.verified) toast.success(summary)
        else toast.error(summary)
      },
      onError: (error) => toast.error(errorMessage(t, error)),
    })
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button size="small" variant="secondary" isLoading={running} onClick={run} data-testid="lac-log-full-check">
        {t("loginAsCustomer.logIntegrity.runFullCheck")}
      </Button>
      <div aria-live="polite">
        {running && (
          <Text size="small" leading="compact" className="text-ui-fg-subtle" data-testid="lac-log-full-check-running">
            {t("loginAsCustomer.logIntegrity.fullCheckRunning")}
          </Text>
        )}
      </div>
    </div>
  )
}
