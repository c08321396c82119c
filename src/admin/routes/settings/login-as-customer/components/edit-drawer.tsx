import { XMark } from "@medusajs/icons"
import { Alert, Button, Drawer, Heading, IconButton, Prompt, toast } from "@medusajs/ui"
import { FormEvent, ReactNode, useEffect, useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { useBlocker } from "react-router-dom"
import { errorMessage } from "../../../../lib/errors"
import { useReturnFocus } from "../../../../lib/use-return-focus"

export type FieldErrors = Record<string, string>

type EditDrawerProps<T> = {
  /** Names the drawer's test id (`lac-drawer-<id>`). */
  id: string
  title: string
  description?: string
  /** The values the form starts from; the drawer keeps its own copy. */
  initial: T
  onClose: () => void
  validate?: (draft: T) => FieldErrors
  /**
   * Content of a confirmation to show before saving this draft (e.g. that it
   * locks the admin out), or null when it saves at once.
   */
  confirmation?: (draft: T) => { title: string; description: string; action: string; testId: string } | null
  /** Saves the draft; a rejection is shown in the drawer, translated. */
  onSave: (draft: T) => Promise<unknown>
  children: (draft: T, setDraft: (next: T) => void, errors: FieldErrors) => ReactNode
}

/**
 * The Edit drawer of a settings section, as Medusa's settings pages have it:
 * the form saves only on Save, Cancel discards, and closing a changed form
 * (Cancel, Escape, a click outside, leaving the page) asks first.
 */
export function EditDrawer<T>({
  id,
  title,
  description,
  initial,
  onClose,
  validate,
  confirmation,
  onSave,
  children,
}: EditDrawerProps<T>) {
  const { t } = useTranslation()
  const returnFocus = useReturnFocus()
  const [start] = useState(() => JSON.stringify(initial))
  const [draft, setDraft] = useState<T>(() => JSON.parse(start) as T)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [serverError, setServerError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [prompt, setPrompt] = useState<"leave" | "confirm" | null>(null)
  const dirty = useMemo(() => JSON.stringify(draft) !== start, [draft, start])

  // Leaving the page (a link, the browser's Back) with changes asks first.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && !saving && currentLocation.pathname !== nextLocation.pathname
  )
  useEffect(() => {
    if (blocker.state === "blocked") setPrompt("leave")
  }, [blocker.state])

  // So does closing the tab or reloading.
  useEffect(() => {
    if (!dirty) return
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault()
      event.returnValue = ""
    }
    window.addEventListener("beforeunload", warn)
    return () => window.removeEventListener("beforeunload", warn)
  }, [dirty])

  const requestClose = () => (dirty ? setPrompt("leave") : onClose())

  const stay = () => {
    setPrompt(null)
    if (blocker.state === "blocked") blocker.reset()
  }
  const leave = () => {
    setPrompt(null)
    if (blocker.state === "blocked") blocker.proceed()
    onClose()
  }

  const save = async (confirmed: boolean) => {
    const found = validate?.(draft) ?? {}
    setErrors(found)
    setServerError(null)
    if (Object.keys(found).length) return
    if (!confirmed && confirmation?.(draft)) {
      setPrompt("confirm")
      return
    }
    setPrompt(null)
    setSaving(true)
    try {
      await onSave(draft)
      toast.success(t("loginAsCustomer.settings.saved"))
      onClose()
    } catch (error) {
      setServerError(errorMessage(t, error))
    } finally {
      setSaving(false)
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void save(false)
  }

  const confirm = prompt === "confirm" ? confirmation?.(draft) : null

  return (
    <Drawer open onOpenChange={(open) => !open && requestClose()}>
      <Drawer.Content data-testid={`lac-drawer-${id}`} onCloseAutoFocus={returnFocus} {...(description ? {} : { "aria-describedby": undefined })}>
        <form onSubmit={submit} noValidate className="flex h-full flex-col overflow-hidden">
          {/* Drawer.Header's own close button has no name; this one says what it does. */}
          <div className="border-ui-border-base flex items-start justify-between gap-x-4 border-b px-6 py-4">
            <div className="flex flex-col gap-y-1">
              <Drawer.Title asChild>
                <Heading level="h2">{title}</Heading>
              </Drawer.Title>
              {description && <Drawer.Description>{description}</Drawer.Description>}
            </div>
            <IconButton size="small" type="button" variant="transparent" onClick={requestClose} aria-label={t("actions.close")}>
              <XMark />
            </IconButton>
          </div>
          <Drawer.Body className="flex flex-col gap-y-6 overflow-y-auto">
            {serverError && (
              <Alert variant="error" data-testid="lac-settings-error">
                {serverError}
              </Alert>
            )}
            {children(draft, setDraft, errors)}
          </Drawer.Body>
          <Drawer.Footer>
            <Button size="small" variant="secondary" type="button" onClick={requestClose}>
              {t("actions.cancel")}
            </Button>
            <Button size="small" type="submit" isLoading={saving} data-testid="lac-settings-save">
              {t("actions.save")}
            </Button>
          </Drawer.Footer>
        </form>
        <Prompt open={prompt === "leave"} onOpenChange={(open) => !open && stay()} variant="confirmation">
          <Prompt.Content>
            <Prompt.Header>
              <Prompt.Title>{t("general.unsavedChangesTitle")}</Prompt.Title>
              <Prompt.Description>{t("general.unsavedChangesDescription")}</Prompt.Description>
            </Prompt.Header>
            <Prompt.Footer>
              <Prompt.Cancel onClick={stay} type="button">
                {t("actions.cancel")}
              </Prompt.Cancel>
              <Prompt.Action onClick={leave} type="button">
                {t("actions.continue")}
              </Prompt.Action>
            </Prompt.Footer>
          </Prompt.Content>
        </Prompt>
        <Prompt open={!!confirm} onOpenChange={(open) => !open && setPrompt(null)} variant="confirmation">
          <Prompt.Content data-testid={confirm?.testId}>
            <Prompt.Header>
              <Prompt.Title>{confirm?.title}</Prompt.Title>
              <Prompt.Description>{confirm?.description}</Prompt.Description>
            </Prompt.Header>
            <Prompt.Footer>
              <Prompt.Cancel onClick={() => setPrompt(null)} type="button">
                {t("actions.cancel")}
              </Prompt.Cancel>
              <Prompt.Action onClick={() => void save(true)} type="button">
                {confirm?.action}
              </Prompt.Action>
            </Prompt.Footer>
          </Prompt.Content>
        </Prompt>
      </Drawer.Content>
    </Drawer>
  )
}
