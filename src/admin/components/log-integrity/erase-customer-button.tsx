import { Button, Prompt, StatusBadge, toast } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useErasableLines, useEraseCustomerFromLog } from "../../hooks/api/log-integrity"
import { errorMessage } from "../../lib/errors"

/**
 * "Erase this customer's personal data from the log", asked to confirm: their
 * email becomes a pseudonym and what was written about them is removed; the
 * lines stay. The erasure is itself logged. Shown to admins who may manage
 * Login as Customer; once erased (and until new lines about the customer are
 * written) it says so instead of offering to erase again.
 */
export const EraseCustomerButton = ({ customerId }: { customerId: string }) => {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const status = useErasableLines(customerId)
  const erase = useEraseCustomerFromLog()
  if (!status.data?.can_erase) return null
  if (status.data.erasable_lines === 0) {
    return (
      <StatusBadge color="grey" className="whitespace-nowrap" data-testid="lac-log-erased">
        {t("loginAsCustomer.log.actions.personal_data_erased")}
      </StatusBadge>
    )
  }
  const confirm = () =>
    erase.mutate(
      { customer_id: customerId },
      {
        onSuccess: (result) => {
          setOpen(false)
          toast.success(t("loginAsCustomer.logIntegrity.erased", { count: result.erased_lines }))
        },
        onError: (error) => toast.error(errorMessage(t, error)),
      }
    )
  return (
    <>
      <Button
        size="small"
        variant="secondary"
        className="whitespace-nowrap"
        onClick={() => setOpen(true)}
        data-testid="lac-log-erase"
      >
        {t("loginAsCustomer.logIntegrity.erase")}
      </Button>
      <Prompt open={open} onOpenChange={setOpen}>
        <Prompt.Content data-testid="lac-log-erase-dialog">
          <Prompt.Header>
            <Prompt.Title>{t("loginAsCustomer.logIntegrity.erase")}</Prompt.Title>
            <Prompt.Description>{t("loginAsCustomer.logIntegrity.eraseHint")}</Prompt.Description>
          </Prompt.Header>
          <Prompt.Footer>
            <Prompt.Cancel>{t("loginAsCustomer.logIntegrity.cancel")}</Prompt.Cancel>
            <Prompt.Action onClick={confirm} disabled={erase.isPending} data-testid="lac-log-erase-confirm">
              {t("loginAsCustomer.logIntegrity.eraseConfirm")}
            </Prompt.Action>
          </Prompt.Footer>
        </Prompt.Content>
      </Prompt>
    </>
  )
}
