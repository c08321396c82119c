import { Alert, Button, Drawer, Label, RadioGroup, Select, Text, Textarea, toast } from "@medusajs/ui"
import { useRef, useState } from "react"
import { useTranslation } from "react-i18next"
import { useCustomerName, useMyActiveSession, useStartLoginAsCustomer } from "../hooks/api/login-as-customer"
import { useCurrentUser } from "../hooks/use-current-user"
import { errorMessage } from "../lib/errors"
import { DrawerHeader } from "./drawer-header"
import { useReturnFocus } from "../lib/use-return-focus"

type Props = {
  customerId: string
  customerName: string
  orderId?: string
  /** The signed-in admin: their session in progress ends when this one starts. */
  currentUserId?: string
  requireReason: boolean
  storeSelection: "auto" | "manual"
  storefronts: Array<{ id: string; name: string }>
  onClose: () => void
}

/** Reason, full or read-only, storefront when chosen by hand; then the storefront opens in a new tab. */
export const StartDialog = ({
  customerId,
  customerName,
  orderId,
  currentUserId,
  requireReason,
  storeSelection,
  storefronts,
  onClose,
}: Props) => {
  const { t } = useTranslation()
  const returnFocus = useReturnFocus()
  const start = useStartLoginAsCustomer(customerId)
  // Starting ends the admin's session in progress (`superseded`): said before, with whose it is.
  // Said from an answer fetched as the dialog opens, never an earlier one: the
  // storefront may have taken the ticket since (waiting → in progress).
  const me = useCurrentUser()
  const userId = currentUserId ?? me.data?.user.id
  const mine = useMyActiveSession(userId)
  const previous = mine.isFetchedAfterMount ? mine.data : null
  // Start waits for that answer (and for the admin's id it is asked with), so
  // the warning can't come after the click.
  const checkingPrevious = userId ? !mine.isFetchedAfterMount && !mine.isError : me.isPending
  const { data: previousName } = useCustomerName(previous?.customer_id)
  const [reason, setReason] = useState("")
  // The dialog opens on the reason, not on its close button: typing straight away writes the reason.
  const reasonInput = useRef<HTMLTextAreaElement>(null)
  const [mode, setMode] = useState<"full" | "read_only">("full")
  const [storefrontId, setStorefrontId] = useState<string>(storefronts.length === 1 ? storefronts[0].id : "")
  const [error, setError] = useState<string | null>(null)
  const [blockedUrl, setBlockedUrl] = useState<string | null>(null)

  const missingReason = requireReason && !reason.trim()
  const missingStorefront = storeSelection === "manual" && !storefrontId

  const submit = () => {
    setError(null)
    // Opened now, inside the click, so popup blockers let it through; it
    // gets its address once the server has answered.
    const tab = window.open("about:blank", "_blank")
    start.mutate(
      {
        reason: reason.trim() || undefined,
        mode,
        storefront_id: storefrontId || undefined,
        order_id: orderId,
      },
      {
        onSuccess: ({ redirect_url }) => {
          if (tab) {
            tab.opener = null
            tab.location.href = redirect_url
            toast.success(t("loginAsCustomer.dialog.started"))
            onClose()
          } else {
            setBlockedUrl(redirect_url)
          }
        },
        onError: (e) => {
          tab?.close()
          setError(errorMessage(t, e))
        },
      }
    )
  }

  return (
    <Drawer open onOpenChange={(next) => !next && onClose()}>
      <Drawer.Content
        data-testid="lac-dialog"
        onOpenAutoFocus={(event) => {
          if (!reasonInput.current) return
          event.preventDefault()
          reasonInput.current.focus()
        }}
        onCloseAutoFocus={returnFocus}
      >
        <DrawerHeader>
          <Drawer.Title>{t("loginAsCustomer.dialog.title", { name: customerName })}</Drawer.Title>
          <Drawer.Description>{t("loginAsCustomer.dialog.description")}</Drawer.Description>
        </DrawerHeader>
        <Drawer.Body className="flex flex-col gap-y-6">
          {previous && (
            <Alert variant="warning" data-testid="lac-previous-session">
              {t(
                // Started at the storefront's exchange: without it, still waiting.
                !previous.started_at
                  ? "loginAsCustomer.dialog.endsPendingSession"
                  : "loginAsCustomer.dialog.endsActiveSession",
                { name: previousName ?? "…" }
              )}
            </Alert>
          )}
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="lac-reason">{t("loginAsCustomer.dialog.reason")}</Label>
            <Textarea
              ref={reasonInput}
              id="lac-reason"
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
              data-testid="lac-reason-input"
              aria-describedby="lac-reason-hint"
            />
            <Text size="xsmall" className="text-ui-fg-muted" id="lac-reason-hint">
              {requireReason ? t("loginAsCustomer.dialog.reasonRequired") : t("loginAsCustomer.dialog.reasonHint")}
            </Text>
          </div>
          <div className="flex flex-col gap-y-2">
            <Label id="lac-mode-label">{t("loginAsCustomer.dialog.mode")}</Label>
            <RadioGroup aria-labelledby="lac-mode-label" value={mode} onValueChange={(value) => setMode(value as "full" | "read_only")}>
              <div className="flex items-center gap-x-2">
                <RadioGroup.Item value="full" id="lac-mode-full" />
                <Label htmlFor="lac-mode-full">{t("loginAsCustomer.dialog.full")}</Label>
              </div>
              <div className="flex items-center gap-x-2">
                <RadioGroup.Item value="read_only" id="lac-mode-read-only" data-testid="lac-mode-read-only" />
                <Label htmlFor="lac-mode-read-only">{t("loginAsCustomer.dialog.readOnly")}</Label>
              </div>
            </RadioGroup>
          </div>
          {storeSelection === "manual" && (
            <div className="flex flex-col gap-y-2">
              <Label id="lac-storefront-label">{t("loginAsCustomer.dialog.storefront")}</Label>
              <Select value={storefrontId} onValueChange={setStorefrontId}>
                <Select.Trigger id="lac-storefront" aria-labelledby="lac-storefront-label lac-storefront" data-testid="lac-storefront-select">
                  <Select.Value placeholder={t("loginAsCustomer.dialog.chooseStorefront")} />
                </Select.Trigger>
                <Select.Content>
                  {storefronts.map((storefront) => (
                    <Select.Item key={storefront.id} value={storefront.id}>
                      {storefront.name}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select>
            </div>
          )}
          {error && (
            <Text size="small" className="text-ui-fg-error" data-testid="lac-dialog-error">
              {error}
            </Text>
          )}
          {blockedUrl && (
            <Text size="small">
              {t("loginAsCustomer.dialog.popupBlocked")}
              <a href={blockedUrl} target="_blank" rel="noopener noreferrer" className="text-ui-fg-interactive">
                {customerName}
              </a>
            </Text>
          )}
        </Drawer.Body>
        <Drawer.Footer>
          {/* A gap, not Drawer.Footer's margin-left, so the buttons stay apart right to left too. */}
          <div className="flex items-center justify-end gap-x-2">
            <Button variant="secondary" onClick={onClose}>
              {t("loginAsCustomer.dialog.cancel")}
            </Button>
            <Button
              onClick={submit}
              disabled={missingReason || missingStorefront || checkingPrevious}
              isLoading={start.isPending}
              data-testid="lac-start"
            >
              {t("loginAsCustomer.dialog.start")}
            </Button>
          </div>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}
