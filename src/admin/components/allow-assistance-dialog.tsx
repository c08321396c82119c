import { Button, DatePicker, Label, Prompt, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useUpdateRemoteAssistance } from "../hooks/api/login-as-customer"
import { errorMessage } from "../lib/errors"
import { useReturnFocus } from "../lib/use-return-focus"

type Props = {
  customerId: string
  onClose: () => void
}

/** The last moment of a chosen day, in the admin's time zone: "until 15 June" includes 15 June. */
function endOfDay(date: Date): Date {
  const end = new Date(date)
  end.setHours(23, 59, 59, 999)
  return end
}

/**
 * Allowing remote shopping assistance for the customer, with an optional last
 * day. Not a destructive action: the confirm button is a primary one.
 */
export const AllowAssistanceDialog = ({ customerId, onClose }: Props) => {
  const { t } = useTranslation()
  const returnFocus = useReturnFocus()
  const update = useUpdateRemoteAssistance(customerId)
  const [until, setUntil] = useState<Date | null>(null)
  const [error, setError] = useState<string | null>(null)
  const today = new Date()
  today.setHours(0, 0, 0, 0)

  const submit = () => {
    setError(null)
    const expiresAt = until ? endOfDay(until) : null
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      setError(t("loginAsCustomer.consent.untilInPast"))
      return
    }
    update.mutate(
      { allowed: true, expires_at: expiresAt ? expiresAt.toISOString() : null },
      {
        onSuccess: () => {
          toast.success(t("loginAsCustomer.consent.saved"))
          onClose()
        },
        onError: (e) => setError(errorMessage(t, e)),
      }
    )
  }

  return (
    <Prompt open variant="confirmation" onOpenChange={(next) => !next && onClose()}>
      <Prompt.Content data-testid="lac-allow-dialog" onCloseAutoFocus={returnFocus}>
        <Prompt.Header>
          <Prompt.Title>{t("loginAsCustomer.consent.confirmAllowTitle")}</Prompt.Title>
          <Prompt.Description>{t("loginAsCustomer.consent.confirmAllowDescription")}</Prompt.Description>
        </Prompt.Header>
        <div className="flex flex-col gap-y-2 px-6 pt-4">
          <Label id="lac-allow-until-label">{t("loginAsCustomer.consent.untilLabel")}</Label>
          <DatePicker
            aria-labelledby="lac-allow-until-label"
            value={until}
            onChange={setUntil}
            minValue={today}
            modal
          />
          <Text size="xsmall" className="text-ui-fg-muted">
            {t("loginAsCustomer.consent.untilHint")}
          </Text>
          {error && (
            <Text size="small" className="text-ui-fg-error" data-testid="lac-allow-error">
              {error}
            </Text>
          )}
        </div>
        <Prompt.Footer>
          <Prompt.Cancel>{t("loginAsCustomer.dialog.cancel")}</Prompt.Cancel>
          <Button size="small" variant="primary" onClick={submit} isLoading={update.isPending} data-testid="lac-allow-confirm">
            {t("loginAsCustomer.consent.allow")}
          </Button>
        </Prompt.Footer>
      </Prompt.Content>
    </Prompt>
  )
}
