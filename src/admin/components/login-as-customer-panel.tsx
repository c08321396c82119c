import { Badge, Button, Container, Heading, StatusBadge, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import {
  useCustomerLoginAsCustomer,
  useEndSession,
  useUpdateRemoteAssistance,
} from "../hooks/api/login-as-customer"
import { errorMessage } from "../lib/errors"
import type { AdminSession } from "../lib/types"
import { StartDialog } from "./start-dialog"

type Props = {
  /** The customer to log in as; null for a guest order. */
  customerId: string | null
  customerName: string
  /** The order page the admin is on, passed along as the session's context. */
  orderId?: string
  /** The signed-in admin, to tell "you" from other admins' sessions. */
  currentUserId?: string
  /** "Placed by … via Login as Customer", on an order placed in a session. */
  orderNote?: string | null
}

const OrderNote = ({ note }: { note: string }) => (
  <Text size="small" className="text-ui-fg-subtle" data-testid="lac-order-note">
    {note}
  </Text>
)

const adminName = (session: AdminSession) =>
  [session.admin?.first_name, session.admin?.last_name].filter(Boolean).join(" ") ||
  session.admin?.email ||
  session.user_id

/**
 * Consent, the Login as Customer button (or why it can't be used) and the
 * sessions in progress, for one customer. Shows nothing to admins without the
 * permission, and nothing the API did not say.
 */
export const LoginAsCustomerPanel = ({ customerId, customerName, orderId, currentUserId, orderNote }: Props) => {
  const { t, i18n } = useTranslation()
  const prompt = usePrompt()
  const [open, setOpen] = useState(false)
  const { data, isLoading, error } = useCustomerLoginAsCustomer(customerId)
  const updateConsent = useUpdateRemoteAssistance(customerId ?? "")
  const endSession = useEndSession()

  const date = (iso: string | null) =>
    iso ? new Date(iso).toLocaleString(i18n.language, { dateStyle: "medium", timeStyle: "short" }) : ""

  if (!customerId) {
    return (
      <Container className="px-6 py-4" data-testid="lac-widget">
        <Heading level="h2">{t("loginAsCustomer.title")}</Heading>
        {orderNote && <OrderNote note={orderNote} />}
        <Text size="small" className="text-ui-fg-subtle mt-2" data-testid="lac-reason">
          {t("loginAsCustomer.reasons.guest_order")}
        </Text>
      </Container>
    )
  }
  if (isLoading || error || !data || !data.permissions.can_login) {
    return null
  }

  const consent = data.remote_assistance
  const consentNeeded = data.consent_mode !== "not_required"
  const others = data.active_sessions.filter((s) => s.user_id !== currentUserId && s.status === "active")

  const changeConsent = async (allowed: boolean) => {
    const confirmed = await prompt({
      title: t(allowed ? "loginAsCustomer.consent.confirmAllowTitle" : "loginAsCustomer.consent.confirmWithdrawTitle"),
      description: t(
        allowed ? "loginAsCustomer.consent.confirmAllowDescription" : "loginAsCustomer.consent.confirmWithdrawDescription"
      ),
      confirmText: t(allowed ? "loginAsCustomer.consent.allow" : "loginAsCustomer.consent.withdraw"),
      cancelText: t("loginAsCustomer.dialog.cancel"),
    })
    if (!confirmed) return
    updateConsent.mutate(
      { allowed },
      {
        onSuccess: () => toast.success(t("loginAsCustomer.consent.saved")),
        onError: (e) => toast.error(errorMessage(t, e)),
      }
    )
  }

  const end = async (session: AdminSession) => {
    const confirmed = await prompt({
      title: t("loginAsCustomer.sessions.endTitle"),
      description: t("loginAsCustomer.sessions.endDescription"),
      confirmText: t("loginAsCustomer.sessions.end"),
      cancelText: t("loginAsCustomer.dialog.cancel"),
    })
    if (!confirmed) return
    endSession.mutate(session.id, {
      onSuccess: () => toast.success(t("loginAsCustomer.sessions.ended")),
      onError: (e) => toast.error(errorMessage(t, e)),
    })
  }

  const consentBadge = !consentNeeded ? (
    <StatusBadge color="grey">{t("loginAsCustomer.consent.notRequired")}</StatusBadge>
  ) : consent.active ? (
    <StatusBadge color="green">{t("loginAsCustomer.consent.allowed")}</StatusBadge>
  ) : consent.allowed ? (
    <StatusBadge color="orange">{t("loginAsCustomer.consent.expired")}</StatusBadge>
  ) : (
    <StatusBadge color="grey">{t("loginAsCustomer.consent.notAllowed")}</StatusBadge>
  )

  return (
    <Container className="divide-y p-0" data-testid="lac-widget">
      <div className="flex flex-col gap-y-2 px-6 py-4">
        <Heading level="h2">{t("loginAsCustomer.title")}</Heading>
        {orderNote && <OrderNote note={orderNote} />}
      </div>

      <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="lac-consent">
        <div className="flex items-center justify-between gap-x-2">
          <Text size="small" weight="plus">
            {t("loginAsCustomer.consent.label")}
          </Text>
          {consentBadge}
        </div>
        {consent.active && consent.expires_at && (
          <Text size="small" className="text-ui-fg-subtle">
            {t("loginAsCustomer.consent.until", { date: date(consent.expires_at) })}
          </Text>
        )}
        {consent.updated_by_type && (
          <Text size="xsmall" className="text-ui-fg-muted">
            {t(consent.updated_by_type === "customer" ? "loginAsCustomer.consent.byCustomer" : "loginAsCustomer.consent.byAdmin")}
            {consent.updated_at ? ` · ${date(consent.updated_at)}` : ""}
          </Text>
        )}
        <div className="flex gap-x-2">
          {consent.active ? (
            <Button size="small" variant="secondary" onClick={() => changeConsent(false)} isLoading={updateConsent.isPending}>
              {t("loginAsCustomer.consent.withdraw")}
            </Button>
          ) : data.consent_mode === "customer_or_admin" ? (
            <Button size="small" variant="secondary" onClick={() => changeConsent(true)} isLoading={updateConsent.isPending}>
              {t("loginAsCustomer.consent.allow")}
            </Button>
          ) : null}
        </div>
        {data.consent_mode === "customer_only" && (
          <Text size="xsmall" className="text-ui-fg-muted">
            {t("loginAsCustomer.consent.customerOnly")}
          </Text>
        )}
      </div>

      <div className="flex flex-col gap-y-2 px-6 py-4">
        <Button
          size="small"
          variant="primary"
          disabled={!data.can_login}
          onClick={() => setOpen(true)}
          data-testid="lac-login-button"
        >
          {t("loginAsCustomer.button")}
        </Button>
        {!data.can_login && data.reason && (
          <Text size="small" className="text-ui-fg-subtle" data-testid="lac-reason">
            {t(`loginAsCustomer.reasons.${data.reason}`, { defaultValue: t("loginAsCustomer.reasons.unknown") })}
          </Text>
        )}
        {others.length > 0 && (
          <Text size="small" className="text-ui-fg-subtle" data-testid="lac-others">
            {t("loginAsCustomer.sessions.others", { names: others.map(adminName).join(", ") })}
          </Text>
        )}
      </div>

      <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="lac-sessions">
        <Text size="small" weight="plus">
          {t("loginAsCustomer.sessions.title")}
        </Text>
        {data.active_sessions.length === 0 ? (
          <Text size="small" className="text-ui-fg-muted">
            {t("loginAsCustomer.sessions.none")}
          </Text>
        ) : (
          data.active_sessions.map((session) => (
            <div key={session.id} className="flex items-center justify-between gap-x-2" data-testid="lac-session">
              <div className="flex flex-col">
                <Text size="small">
                  {session.user_id === currentUserId ? t("loginAsCustomer.sessions.you") : adminName(session)}
                  {session.mode === "read_only" && (
                    <Badge size="2xsmall" className="ml-2">
                      {t("loginAsCustomer.sessions.readOnly")}
                    </Badge>
                  )}
                </Text>
                <Text size="xsmall" className="text-ui-fg-muted">
                  {session.status === "pending"
                    ? t("loginAsCustomer.sessions.pending")
                    : t("loginAsCustomer.sessions.since", { date: date(session.started_at) })}
                  {session.reason ? ` · ${session.reason}` : ""}
                </Text>
              </div>
              <Button size="small" variant="danger" onClick={() => end(session)} data-testid="lac-end-session">
                {t("loginAsCustomer.sessions.end")}
              </Button>
            </div>
          ))
        )}
      </div>

      {open && (
        <StartDialog
          customerId={customerId}
          customerName={customerName}
          orderId={orderId}
          requireReason={data.require_reason}
          storeSelection={data.store_selection}
          storefronts={data.storefronts}
          onClose={() => setOpen(false)}
        />
      )}
    </Container>
  )
}
