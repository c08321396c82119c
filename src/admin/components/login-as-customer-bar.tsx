import { Button, Container, StatusBadge, Text } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useCustomerLoginAsCustomer } from "../hooks/api/login-as-customer"
import type { AdminSession, CustomerLoginAsCustomer } from "../lib/types"
import { adminName, cardShown, denialText, formatDate } from "./login-as-customer-text"
import { StartDialog } from "./start-dialog"

type Props = {
  /** The customer to log in as; null for a guest order. */
  customerId: string | null
  customerName: string
  /** The order page the admin is on, passed along as the session's context. */
  orderId?: string
  /** The signed-in admin, to tell "you" from other admins' sessions. */
  currentUserId?: string
}

/**
 * Page widgets render in the main column after Medusa's own sections; the
 * bar goes first, where the page's actions are (drag and drop in "Customize"
 * still hides it). Older dashboards render `*.before` zones above the page.
 */
const FIRST = { order: -1 }

/**
 * The top of the customer and order pages: the Login as Customer button and
 * its status in one line (the signed-in admin's session here, others helping,
 * or why the button can't be used). Consent and sessions are in the side card.
 * An admin who may view the log but not log in sees it with the button off
 * and "You don't have permission…"; one with neither permission sees nothing.
 */
export const LoginAsCustomerBar = ({ customerId, customerName, orderId, currentUserId }: Props) => {
  const { t, i18n } = useTranslation()
  const [open, setOpen] = useState(false)
  const { data, isLoading, error } = useCustomerLoginAsCustomer(customerId)

  if (!customerId) {
    return (
      <Container style={FIRST} className="flex items-center justify-between gap-x-4 px-6 py-3" data-testid="lac-bar">
        <Text size="small" className="text-ui-fg-subtle" data-testid="lac-reason">
          {t("loginAsCustomer.reasons.guest_order")}
        </Text>
      </Container>
    )
  }
  if (isLoading || error || !data || !cardShown(data.permissions)) {
    return null
  }
  const startable = data.permissions.can_login && data.can_login

  const mine = data.active_sessions.find((s) => s.user_id === currentUserId && (s.status === "pending" || s.status === "active"))
  const others = data.active_sessions.filter((s) => s.user_id !== currentUserId && s.status === "active")

  return (
    <Container
      style={FIRST}
      className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 px-6 py-3"
      data-testid="lac-bar"
      role="region"
      aria-label={t("loginAsCustomer.title")}
    >
      <div className="flex min-w-0 flex-1 flex-col gap-y-1" data-testid="lac-bar-status">
        <Status data={data} mine={mine} language={i18n.language} />
        {others.length > 0 && (
          <Text size="small" className="text-ui-fg-subtle" data-testid="lac-others">
            {t("loginAsCustomer.sessions.others", { names: others.map(adminName).join(", ") })}
          </Text>
        )}
      </div>
      <Button
        size="small"
        variant="secondary"
        disabled={!startable}
        onClick={() => setOpen(true)}
        data-testid="lac-login-button"
      >
        {t("loginAsCustomer.button")}
      </Button>
      {open && (
        <StartDialog
          customerId={customerId}
          customerName={customerName}
          orderId={orderId}
          currentUserId={currentUserId}
          requireReason={data.require_reason}
          storeSelection={data.store_selection}
          storefronts={data.storefronts}
          onClose={() => setOpen(false)}
        />
      )}
    </Container>
  )
}

const Status = ({
  data,
  mine,
  language,
}: {
  data: CustomerLoginAsCustomer
  mine: AdminSession | undefined
  language: string
}) => {
  const { t } = useTranslation()
  if (mine) {
    return (
      <div className="flex items-center gap-x-2">
        <StatusBadge color={mine.status === "pending" ? "orange" : "green"} data-testid="lac-bar-session">
          {mine.status === "pending"
            ? t("loginAsCustomer.bar.yourSessionPending")
            : t("loginAsCustomer.bar.yourSessionActive", { date: formatDate(mine.started_at, language) })}
        </StatusBadge>
      </div>
    )
  }
  if (!data.can_login || !data.permissions.can_login) {
    return (
      <Text size="small" className="text-ui-fg-subtle" data-testid="lac-reason">
        {denialText(t, data)}
      </Text>
    )
  }
  const consent = data.remote_assistance
  return (
    <Text size="small" className="text-ui-fg-subtle">
      {data.consent_mode === "not_required"
        ? t("loginAsCustomer.bar.ready")
        : consent.expires_at
          ? t("loginAsCustomer.bar.allowedUntil", { date: formatDate(consent.expires_at, language) })
          : t("loginAsCustomer.bar.allowed")}
    </Text>
  )
}
