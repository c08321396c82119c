import { Input, Label, Select, StatusBadge, Switch, Text } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useUpdateSettings } from "../../../../hooks/api/login-as-customer"
import { lifetimeValue } from "../../../../lib/log-health-text"
import type { Settings } from "../../../../lib/types"
import { EditDrawer, FieldErrors } from "./edit-drawer"
import { Row, Section } from "./section"

type General = Pick<
  Settings,
  | "enabled"
  | "consent_mode"
  | "require_reason"
  | "notify_customer"
  | "disable_page_cache"
  | "ticket_ttl_seconds"
  | "session_ttl_seconds"
>

const CONSENT_MODES = ["customer_or_admin", "customer_only", "not_required"] as const

const pick = (settings: Settings): General => ({
  enabled: settings.enabled,
  consent_mode: settings.consent_mode,
  require_reason: settings.require_reason,
  notify_customer: settings.notify_customer,
  disable_page_cache: settings.disable_page_cache,
  ticket_ttl_seconds: settings.ticket_ttl_seconds,
  session_ttl_seconds: settings.session_ttl_seconds,
})

const inRange = (value: number, max: number) => Number.isInteger(value) && value > 0 && value <= max

/** On/off, consent, reasons, notification, caching and lifetimes. */
export const GeneralSection = ({ settings }: { settings: Settings }) => {
  const { t, i18n } = useTranslation()
  const [editing, setEditing] = useState(false)
  const update = useUpdateSettings()
  const yesNo = (value: boolean) => t(value ? "loginAsCustomer.settings.yes" : "loginAsCustomer.settings.no")

  return (
    <Section
      id="general"
      title={t("loginAsCustomer.settings.general")}
      onEdit={() => setEditing(true)}
    >
      <Row label={t("loginAsCustomer.settings.status")}>
        <StatusBadge color={settings.enabled ? "green" : "grey"} data-testid="lac-status">
          {t(settings.enabled ? "loginAsCustomer.settings.statusEnabled" : "loginAsCustomer.settings.statusDisabled")}
        </StatusBadge>
      </Row>
      <Row label={t("loginAsCustomer.settings.consentMode")}>
        {t(`loginAsCustomer.settings.consent_${settings.consent_mode}`)}
      </Row>
      <Row label={t("loginAsCustomer.settings.requireReason")}>{yesNo(settings.require_reason)}</Row>
      <Row label={t("loginAsCustomer.settings.notifyCustomer")}>{yesNo(settings.notify_customer)}</Row>
      <Row label={t("loginAsCustomer.settings.disablePageCache")}>{yesNo(settings.disable_page_cache)}</Row>
      <Row label={t("loginAsCustomer.settings.ticketTtl")}>
        {lifetimeValue(settings.ticket_ttl_seconds, i18n.language)}
      </Row>
      <Row label={t("loginAsCustomer.settings.sessionTtl")}>
        {lifetimeValue(settings.session_ttl_seconds, i18n.language)}
      </Row>

      {editing && (
        <EditDrawer<General>
          id="general"
          title={t("loginAsCustomer.settings.general")}
          description={t("loginAsCustomer.settings.description")}
          initial={pick(settings)}
          onClose={() => setEditing(false)}
          validate={(draft) => {
            const errors: FieldErrors = {}
            if (!inRange(draft.ticket_ttl_seconds, 600)) {
              errors.ticket_ttl_seconds = t("loginAsCustomer.settings.rangeError", { min: 1, max: 600 })
            }
            if (!inRange(draft.session_ttl_seconds, 86400)) {
              errors.session_ttl_seconds = t("loginAsCustomer.settings.rangeError", { min: 1, max: 86400 })
            }
            return errors
          }}
          onSave={(draft) => update.mutateAsync(draft)}
        >
          {(draft, setDraft, errors) => {
            const toggle = (key: "enabled" | "require_reason" | "notify_customer" | "disable_page_cache", testId: string, label: string, hint?: string) => (
              <div className="flex items-start gap-x-3">
                <Switch
                  id={testId}
                  checked={draft[key]}
                  onCheckedChange={(checked) => setDraft({ ...draft, [key]: checked === true })}
                  data-testid={testId}
                  aria-describedby={hint ? `${testId}-hint` : undefined}
                />
                <div className="flex flex-col">
                  <Label htmlFor={testId} size="small" weight="plus">
                    {label}
                  </Label>
                  {hint && (
                    <Text id={`${testId}-hint`} size="small" className="text-ui-fg-subtle">
                      {hint}
                    </Text>
                  )}
                </div>
              </div>
            )
            const number = (key: "ticket_ttl_seconds" | "session_ttl_seconds", id: string, label: string) => (
              <div className="flex flex-col gap-y-2">
                <Label htmlFor={id} size="small" weight="plus">
                  {label}
                </Label>
                <Input
                  id={id}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  value={Number.isNaN(draft[key]) ? "" : draft[key]}
                  onChange={(e) => setDraft({ ...draft, [key]: e.target.value === "" ? NaN : Number(e.target.value) })}
                  aria-invalid={!!errors[key]}
                  aria-describedby={errors[key] ? `${id}-error` : undefined}
                />
                {errors[key] && (
                  <Text id={`${id}-error`} size="small" className="text-ui-fg-error">
                    {errors[key]}
                  </Text>
                )}
              </div>
            )
            return (
              <>
                {toggle("enabled", "lac-enabled", t("loginAsCustomer.settings.enabled"))}
                <div className="flex flex-col gap-y-2">
                  <Label htmlFor="lac-consent-mode" size="small" weight="plus">
                    {t("loginAsCustomer.settings.consentMode")}
                  </Label>
                  <Select
                    value={draft.consent_mode}
                    onValueChange={(value) => setDraft({ ...draft, consent_mode: value as General["consent_mode"] })}
                  >
                    <Select.Trigger id="lac-consent-mode">
                      <Select.Value />
                    </Select.Trigger>
                    <Select.Content>
                      {CONSENT_MODES.map((mode) => (
                        <Select.Item key={mode} value={mode}>
                          {t(`loginAsCustomer.settings.consent_${mode}`)}
                        </Select.Item>
                      ))}
                    </Select.Content>
                  </Select>
                </div>
                {toggle("require_reason", "lac-require-reason", t("loginAsCustomer.settings.requireReason"))}
                {toggle("notify_customer", "lac-notify-customer", t("loginAsCustomer.settings.notifyCustomer"))}
                {toggle(
                  "disable_page_cache",
                  "lac-disable-page-cache",
                  t("loginAsCustomer.settings.disablePageCache")
                )}
                {number("ticket_ttl_seconds", "lac-ticket-ttl", t("loginAsCustomer.settings.ticketTtl"))}
                {number("session_ttl_seconds", "lac-session-ttl", t("loginAsCustomer.settings.sessionTtl"))}
              </>
            )
          }}
        </EditDrawer>
      )}
    </Section>
  )
}
