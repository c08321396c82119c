import { defineRouteConfig } from "@medusajs/admin-sdk"
import {
  Button,
  Checkbox,
  Container,
  Heading,
  Input,
  Label,
  Select,
  Switch,
  Table,
  Text,
  toast,
} from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { useGrants, useSettings, useUpdateGrant, useUpdateSettings } from "../../../hooks/api/login-as-customer"
import type { Settings, Storefront } from "../../../lib/types"
import { RESTRICTABLE_ACTIONS } from "../../../../types"


type Draft = Omit<Settings, "updated_at">
type Errors = Record<string, string>

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value)
    return url.protocol === "http:" || url.protocol === "https:"
  } catch {
    return false
  }
}

/** Checks what can be checked here; the server checks everything again. */
function validate(draft: Draft, t: (key: string) => string): Errors {
  const errors: Errors = {}
  if (!Number.isInteger(draft.ticket_ttl_seconds) || draft.ticket_ttl_seconds <= 0 || draft.ticket_ttl_seconds > 600) {
    errors.ticket_ttl_seconds = "1 – 600"
  }
  if (!Number.isInteger(draft.session_ttl_seconds) || draft.session_ttl_seconds <= 0 || draft.session_ttl_seconds > 86400) {
    errors.session_ttl_seconds = "1 – 86400"
  }
  draft.storefronts.forEach((storefront, i) => {
    if (!storefront.name.trim()) errors[`storefronts.${i}.name`] = t("loginAsCustomer.settings.storefrontName")
    if (!isHttpUrl(storefront.login_url)) errors[`storefronts.${i}.login_url`] = "http(s)://…"
  })
  return errors
}

/** Settings → Login as Customer. */
const LoginAsCustomerSettingsPage = () => {
  const { t } = useTranslation()
  const settings = useSettings()
  const grants = useGrants()
  const update = useUpdateSettings()
  const updateGrant = useUpdateGrant()
  const [draft, setDraft] = useState<Draft | null>(null)
  const [errors, setErrors] = useState<Errors>({})
  const [serverError, setServerError] = useState<string | null>(null)

  useEffect(() => {
    if (settings.data && !draft) {
      const { updated_at: _ignored, ...rest } = settings.data.settings
      setDraft(rest)
    }
  }, [settings.data, draft])

  if (!draft) {
    return null
  }

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft({ ...draft, [key]: value })
  const setStorefront = (index: number, changes: Partial<Storefront>) =>
    set(
      "storefronts",
      draft.storefronts.map((s, i) => (i === index ? { ...s, ...changes } : s))
    )

  const save = () => {
    const found = validate(draft, t)
    setErrors(found)
    setServerError(null)
    if (Object.keys(found).length) return
    update.mutate(
      {
        ...draft,
        storefronts: draft.storefronts.map((s) => ({
          ...(s.id ? { id: s.id } : {}),
          name: s.name.trim(),
          login_url: s.login_url.trim(),
          sales_channel_id: s.sales_channel_id?.trim() || null,
        })) as Storefront[],
      },
      {
        onSuccess: ({ settings: saved }) => {
          const { updated_at: _ignored, ...rest } = saved
          setDraft(rest)
          toast.success(t("loginAsCustomer.settings.saved"))
        },
        onError: (e) => setServerError(e.message),
      }
    )
  }

  const toggle = (key: keyof Draft, testId: string, label: string) => (
    <div className="flex items-center gap-x-2">
      <Switch
        id={testId}
        checked={draft[key] as boolean}
        onCheckedChange={(checked) => set(key, checked as never)}
        data-testid={testId}
      />
      <Label htmlFor={testId}>{label}</Label>
    </div>
  )

  const showGrants = grants.data && !grants.data.rbac && draft.access === "selected_admins"

  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading>{t("loginAsCustomer.settings.title")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("loginAsCustomer.settings.description")}
          </Text>
        </div>
        <Button size="small" onClick={save} isLoading={update.isPending} data-testid="lac-settings-save">
          {t("loginAsCustomer.settings.save")}
        </Button>
      </div>

      <div className="flex flex-col gap-y-4 px-6 py-4">
        {serverError && (
          <Text size="small" className="text-ui-fg-error" data-testid="lac-settings-error">
            {serverError}
          </Text>
        )}
        {toggle("enabled", "lac-enabled", t("loginAsCustomer.settings.enabled"))}
        {toggle("disable_page_cache", "lac-disable-page-cache", t("loginAsCustomer.settings.disablePageCache"))}
        {toggle("require_reason", "lac-require-reason", t("loginAsCustomer.settings.requireReason"))}
        {toggle("notify_customer", "lac-notify-customer", t("loginAsCustomer.settings.notifyCustomer"))}

        <div className="grid grid-cols-2 gap-4">
          <div className="flex flex-col gap-y-1">
            <Label htmlFor="lac-ticket-ttl">{t("loginAsCustomer.settings.ticketTtl")}</Label>
            <Input
              id="lac-ticket-ttl"
              type="number"
              value={draft.ticket_ttl_seconds}
              onChange={(e) => set("ticket_ttl_seconds", Number(e.target.value))}
              aria-invalid={!!errors.ticket_ttl_seconds}
            />
            {errors.ticket_ttl_seconds && <Text size="xsmall" className="text-ui-fg-error">{errors.ticket_ttl_seconds}</Text>}
          </div>
          <div className="flex flex-col gap-y-1">
            <Label htmlFor="lac-session-ttl">{t("loginAsCustomer.settings.sessionTtl")}</Label>
            <Input
              id="lac-session-ttl"
              type="number"
              value={draft.session_ttl_seconds}
              onChange={(e) => set("session_ttl_seconds", Number(e.target.value))}
              aria-invalid={!!errors.session_ttl_seconds}
            />
            {errors.session_ttl_seconds && <Text size="xsmall" className="text-ui-fg-error">{errors.session_ttl_seconds}</Text>}
          </div>
        </div>

        <div className="grid grid-cols-2 gap-4">
          <div className="flex flex-col gap-y-1">
            <Label>{t("loginAsCustomer.settings.consentMode")}</Label>
            <Select value={draft.consent_mode} onValueChange={(v) => set("consent_mode", v as Draft["consent_mode"])}>
              <Select.Trigger>
                <Select.Value />
              </Select.Trigger>
              <Select.Content>
                {(["customer_or_admin", "customer_only", "not_required"] as const).map((mode) => (
                  <Select.Item key={mode} value={mode}>
                    {t(`loginAsCustomer.settings.consent_${mode}`)}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select>
          </div>
          <div className="flex flex-col gap-y-1">
            <Label>{t("loginAsCustomer.settings.storeSelection")}</Label>
            <Select value={draft.store_selection} onValueChange={(v) => set("store_selection", v as Draft["store_selection"])}>
              <Select.Trigger>
                <Select.Value />
              </Select.Trigger>
              <Select.Content>
                <Select.Item value="auto">{t("loginAsCustomer.settings.auto")}</Select.Item>
                <Select.Item value="manual">{t("loginAsCustomer.settings.manual")}</Select.Item>
              </Select.Content>
            </Select>
          </div>
        </div>
      </div>

      <div className="flex flex-col gap-y-3 px-6 py-4">
        <Text size="small" weight="plus">
          {t("loginAsCustomer.settings.storefronts")}
        </Text>
        {draft.storefronts.map((storefront, i) => (
          <div key={i} className="grid grid-cols-[1fr_1fr_2fr_auto] items-start gap-2" data-testid="lac-storefront-row">
            <div>
              <Input
                placeholder={t("loginAsCustomer.settings.storefrontName")}
                value={storefront.name}
                onChange={(e) => setStorefront(i, { name: e.target.value })}
                aria-invalid={!!errors[`storefronts.${i}.name`]}
              />
            </div>
            <Input
              placeholder={t("loginAsCustomer.settings.salesChannel")}
              value={storefront.sales_channel_id ?? ""}
              onChange={(e) => setStorefront(i, { sales_channel_id: e.target.value })}
            />
            <div>
              <Input
                placeholder={t("loginAsCustomer.settings.loginUrl")}
                value={storefront.login_url}
                onChange={(e) => setStorefront(i, { login_url: e.target.value })}
                aria-invalid={!!errors[`storefronts.${i}.login_url`]}
                data-testid="lac-storefront-url"
              />
              {errors[`storefronts.${i}.login_url`] && (
                <Text size="xsmall" className="text-ui-fg-error">
                  {errors[`storefronts.${i}.login_url`]}
                </Text>
              )}
            </div>
            <Button
              size="small"
              variant="secondary"
              onClick={() => set("storefronts", draft.storefronts.filter((_, j) => j !== i))}
            >
              {t("loginAsCustomer.settings.remove")}
            </Button>
          </div>
        ))}
        <div>
          <Button
            size="small"
            variant="secondary"
            onClick={() =>
              set("storefronts", [...draft.storefronts, { id: "", name: "", sales_channel_id: null, login_url: "" }])
            }
          >
            {t("loginAsCustomer.settings.addStorefront")}
          </Button>
        </div>
      </div>

      <div className="flex flex-col gap-y-2 px-6 py-4">
        <Text size="small" weight="plus">
          {t("loginAsCustomer.settings.restrictedActions")}
        </Text>
        {RESTRICTABLE_ACTIONS.map((action) => (
          <div key={action} className="flex items-center gap-x-2">
            <Checkbox
              id={`lac-restrict-${action}`}
              checked={draft.restricted_actions.includes(action)}
              onCheckedChange={(checked) =>
                set(
                  "restricted_actions",
                  checked
                    ? [...draft.restricted_actions, action]
                    : draft.restricted_actions.filter((a) => a !== action)
                )
              }
            />
            <Label htmlFor={`lac-restrict-${action}`}>{t(`loginAsCustomer.settings.action_${action}`)}</Label>
          </div>
        ))}
      </div>

      <div className="flex flex-col gap-y-3 px-6 py-4">
        <Text size="small" weight="plus">
          {t("loginAsCustomer.settings.access")}
        </Text>
        {grants.data?.rbac ? (
          <Text size="small" className="text-ui-fg-subtle">
            {t("loginAsCustomer.settings.rbacNote")}
          </Text>
        ) : (
          <Select value={draft.access} onValueChange={(v) => set("access", v as Draft["access"])}>
            <Select.Trigger data-testid="lac-access">
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="all_admins">{t("loginAsCustomer.settings.all_admins")}</Select.Item>
              <Select.Item value="selected_admins">{t("loginAsCustomer.settings.selected_admins")}</Select.Item>
            </Select.Content>
          </Select>
        )}
        {showGrants && (
          <Table data-testid="lac-grants">
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>{t("loginAsCustomer.settings.grants")}</Table.HeaderCell>
                <Table.HeaderCell>{t("loginAsCustomer.settings.canLogin")}</Table.HeaderCell>
                <Table.HeaderCell>{t("loginAsCustomer.settings.canViewLog")}</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {grants.data!.grants.map((grant) => (
                <Table.Row key={grant.user_id}>
                  <Table.Cell>{grant.email}</Table.Cell>
                  {(["can_login", "can_view_log"] as const).map((key) => (
                    <Table.Cell key={key}>
                      <Checkbox
                        checked={grant[key]}
                        onCheckedChange={(checked) =>
                          updateGrant.mutate(
                            { user_id: grant.user_id, [key]: checked === true },
                            {
                              onSuccess: () => toast.success(t("loginAsCustomer.settings.saved")),
                              onError: (e) => toast.error(e.message),
                            }
                          )
                        }
                      />
                    </Table.Cell>
                  ))}
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
      </div>
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "loginAsCustomer.settings.title",
  translationNs: "translation",
})

export default LoginAsCustomerSettingsPage
