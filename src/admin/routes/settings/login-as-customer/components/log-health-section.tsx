import { Input, Label, StatusBadge, Text } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useUpdateSettings } from "../../../../hooks/api/login-as-customer"
import { useLogHealth } from "../../../../hooks/api/log-integrity"
import { formatSize, healthDate } from "../../../../lib/log-health-text"
import { localeTag } from "../../../../lib/locale"
import { EditDrawer, FieldErrors } from "./edit-drawer"
import { Note, Row, Section } from "./section"

/**
 * The log's own health on the settings page: lines, size on disk, oldest
 * line, last seal, last verification and the retention (editable here).
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
      <Row label={t("loginAsCustomer.logIntegrity.lastVerification")} testId="lac-log-health-verification">
        {h?.last_verification ? (
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge color={h.last_verification.verified ? "green" : "red"}>
              {t(h.last_verification.verified ? "loginAsCustomer.logIntegrity.verified" : "loginAsCustomer.logIntegrity.failed")}
            </StatusBadge>
            <Text size="small" leading="compact">
              {healthDate(t, h.last_verification.at, "verification", i18n.language)}
            </Text>
          </div>
        ) : h ? (
          healthDate(t, null, "verification", i18n.language)
        ) : (
          "…"
        )}
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
