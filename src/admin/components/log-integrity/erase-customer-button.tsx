import { Button, Prompt, toast } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useEraseCustomerFromLog } from "../../hooks/api/log-integrity"
import { errorMessage } from "../../lib/errors"

/**
 * "Erase this customer's personal data from the log", asked to confirm: their
 * email becomes a pseudonym and what was written about them is removed; the
 * lines stay. The erasure is itself logged.
 */
export const EraseCustomerButton = ({ customerId }: { customerId: string }) => {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const erase = useEraseCustomerFromLog()
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
      <Button size="small" variant="secondary" onClick={() => setOpen(true)} data-testid="lac-log-erase">
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
