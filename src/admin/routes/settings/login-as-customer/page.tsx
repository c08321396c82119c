import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Alert, Container, Heading, StatusBadge, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { useCurrentUserId } from "../../../hooks/use-current-user"
import { useGrants, useSettings } from "../../../hooks/api/login-as-customer"
import { errorMessage } from "../../../lib/errors"
import { AccessSection } from "./components/access-section"
import { GeneralSection } from "./components/general-section"
import { LogHealthSection } from "./components/log-health-section"
import { RestrictionsSection } from "./components/restrictions-section"
import { StorefrontsSection } from "./components/storefronts-section"

/**
 * The storefront origins the server allows tickets to go to (fixed at deploy
 * time), or null when this server doesn't name them.
 */
function allowedOriginsOf(data: unknown): string[] | null {
  const answer = (data ?? {}) as {
    allowed_storefront_origins?: unknown
    settings?: { allowed_storefront_origins?: unknown }
  }
  const origins = answer.allowed_storefront_origins ?? answer.settings?.allowed_storefront_origins
  return Array.isArray(origins) ? origins.filter((o): o is string => typeof o === "string") : null
}

/**
 * Settings → Login as Customer: read-only sections, each with an Edit drawer
 * that saves on Save, as Medusa's own settings pages.
 */
const LoginAsCustomerSettingsPage = () => {
  const { t } = useTranslation()
  const settings = useSettings()
  const grants = useGrants()
  const currentUserId = useCurrentUserId()

  if (settings.error) {
    return (
      <Container>
        <Alert variant="error" data-testid="lac-settings-load-error">
          {errorMessage(t, settings.error)}
        </Alert>
      </Container>
    )
  }
  if (!settings.data) {
    return null
  }
  const current = settings.data.settings

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="flex items-start justify-between gap-x-4 px-6 py-4">
        <div>
          <Heading data-testid="lac-settings-heading">{t("loginAsCustomer.settings.title")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("loginAsCustomer.settings.description")}
          </Text>
        </div>
        <StatusBadge color={current.enabled ? "green" : "grey"} className="shrink-0">
          {t(current.enabled ? "loginAsCustomer.settings.statusEnabled" : "loginAsCustomer.settings.statusDisabled")}
        </StatusBadge>
      </Container>
      <GeneralSection settings={current} />
      <StorefrontsSection settings={current} allowedOrigins={allowedOriginsOf(settings.data)} />
      <RestrictionsSection settings={current} />
      <AccessSection settings={current} grants={grants.data} currentUserId={currentUserId} />
      <LogHealthSection retentionDays={current.log_retention_days ?? null} />
    </div>
  )
}

export const config = defineRouteConfig({
  label: "loginAsCustomer.nav.settings",
  translationNs: "translation",
})

export default LoginAsCustomerSettingsPage
