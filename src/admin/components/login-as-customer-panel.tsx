import { Badge, Button, Container, Heading, StatusBadge, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import {
  useCustomerLoginAsCustomer,
  useEndSession,
  useUpdateRemoteAssistance,
} from "../hooks/api/login-as-customer"
import { errorMessage } from "../lib/errors"
import type { AdminSession } from "../lib/types"
import { AllowAssistanceDialog } from "./allow-assistance-dialog"
import { adminName, cardShown, endReasonText, formatDate } from "./login-as-customer-text"

type Props = {
  /** The customer to log in as; null for a guest order. */
  customerId: string | null
  customerName: string
  /** The signed-in admin, to tell "you" from other admins' sessions. */
  currentUserId?: string
  /** "Placed by … via Login as Customer", on an order placed in a session. */
  orderNote?: string | null
  /** Links to the log filtered by this customer, for admins who may view the log. */
  logLink?: boolean
}

const OrderNote = ({ note }: { note: string }) => (
  <Text size="small" className="text-ui-fg-subtle" data-testid="lac-order-note">
    {note}
  </Text>
)

/**
 * The details of Login as Customer for one customer, in the page's side
 * column: consent (who gave or withdrew it, until when) and the sessions in
 * progress, with End. The button itself is in the bar at the top of the page
 * (LoginAsCustomerBar). Admins who may view the log but not log in see the
 * consent, the sessions in progress and the log link, without the buttons
 * that change them; admins with neither permission see nothing (as the bar),
 * and nothing shows that the API did not say. Kept live by
 * useCustomerLoginAsCustomer.
 */
export const LoginAsCustomerPanel = ({ customerId, currentUserId, orderNote, logLink }: Props) => {
  const { t, i18n } = useTranslation()
  const prompt = usePrompt()
  const [allowing, setAllowing] = useState(false)
  const { data, isLoading, error } = useCustomerLoginAsCustomer(customerId)
  const updateConsent = useUpdateRemoteAssistance(customerId ?? "")
  const endSession = useEndSession()

  const date = (iso: string | null) => formatDate(iso, i18n.language)

  if (!customerId) {
    // A guest order: the bar says why; the note is the one detail there is.
    return orderNote ? (
      <Container className="flex flex-col gap-y-2 px-6 py-4" data-testid="lac-widget">
        <Heading level="h2">{t("loginAsCustomer.title")}</Heading>
        <OrderNote note={orderNote} />
      </Container>
    ) : null
  }
  if (isLoading || error || !data || !cardShown(data.permissions)) {
    return null
  }
  // Consent and End are for admins who may log in (End's route needs it).
  const mayLogin = data.permissions.can_login

  const consent = data.remote_assistance
  const consentNeeded = data.consent_mode !== "not_required"

  const withdrawConsent = async () => {
    const confirmed = await prompt({
      title: t("loginAsCustomer.consent.confirmWithdrawTitle"),
      description: t("loginAsCustomer.consent.confirmWithdrawDescription"),
      confirmText: t("loginAsCustomer.consent.withdraw"),
      cancelText: t("loginAsCustomer.dialog.cancel"),
    })
    if (!confirmed) return
    updateConsent.mutate(
      { allowed: false },
      {
        onSuccess: () => toast.success(t("loginAsCustomer.consent.saved")),
        onError: (e) => toast.error(errorMessage(t, e)),
      }
    )
  }

  /** "This session had already ended (by an admin)", or without the reason where it has no words. */
  const alreadyEndedText = (reason: string | null | undefined) => {
    const words = endReasonText(t, reason)
    return words ? t("loginAsCustomer.sessions.alreadyEnded", { reason: words }) : t("loginAsCustomer.errors.session_already_ended")
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
      onError: (e) =>
        e.code === "session_already_ended"
          ? toast.info(alreadyEndedText(e.end_reason))
          : toast.error(errorMessage(t, e)),
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
        <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1">
          <Heading level="h2">{t("loginAsCustomer.title")}</Heading>
          {logLink && data.permissions.can_view_log && (
            <Button size="small" variant="secondary" className="shrink-0" asChild>
              <Link to={`/login-as-customer-log?${new URLSearchParams({ customer_id: customerId })}`} data-testid="lac-widget-log-link">
                {t("loginAsCustomer.log.viewInLog")}
              </Link>
            </Button>
          )}
        </div>
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
          <Text size="xsmall" className="text-ui-fg-muted" data-testid="lac-consent-by">
            {t(
              consent.allowed
                ? consent.updated_by_type === "customer"
                  ? "loginAsCustomer.consent.byCustomer"
                  : "loginAsCustomer.consent.byAdmin"
                : consent.updated_by_type === "customer"
                  ? "loginAsCustomer.consent.withdrawnByCustomer"
                  : "loginAsCustomer.consent.withdrawnByAdmin"
            )}
            {consent.updated_at ? ` · ${date(consent.updated_at)}` : ""}
          </Text>
        )}
        <div className="flex gap-x-2">
          {!mayLogin ? null : consent.active ? (
            <Button size="small" variant="secondary" onClick={withdrawConsent} isLoading={updateConsent.isPending}>
              {t("loginAsCustomer.consent.withdraw")}
            </Button>
          ) : data.consent_mode === "customer_or_admin" ? (
            <Button size="small" variant="secondary" onClick={() => setAllowing(true)}>
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
              {mayLogin && (
                <Button size="small" variant="danger" onClick={() => end(session)} data-testid="lac-end-session">
                  {t("loginAsCustomer.sessions.end")}
                </Button>
              )}
            </div>
          ))
        )}
      </div>

      {allowing && <AllowAssistanceDialog customerId={customerId} onClose={() => setAllowing(false)} />}
    </Container>
  )
}
