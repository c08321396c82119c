import { XMark } from "@medusajs/icons"
import { Alert, Button, Drawer, Heading, IconButton, Prompt, toast } from "@medusajs/ui"
import { FormEvent, ReactNode, useEffect, useMemo, useRef, useState } from "react"
import { useTranslation } from "react-i18next"
import { useBlocker, useLocation, useNavigate } from "react-router-dom"
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
 * (Cancel, Escape, a click outside, the browser's Back, leaving the page)
 * asks first. An open drawer is a step in the browser's history
 * (`?edit=<id>`), so Back closes it, as it closes Medusa's own drawers.
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
  const location = useLocation()
  const navigate = useNavigate()
  /** Whether this drawer added the `?edit=` step to the history (else it found it there, e.g. after a reload). */
  const pushed = useRef(false)
  const closing = useRef(false)
  const editing = (search: string) => new URLSearchParams(search).get("edit") === id

  // Opening adds a step to the history: Back comes to it first.
  useEffect(() => {
    // Once: React's strict mode runs an effect twice, with the same (older) location.
    if (pushed.current || editing(location.search)) return
    pushed.current = true
    const search = new URLSearchParams(location.search)
    search.set("edit", id)
    navigate({ search: `?${search}` })
    // Once, as the drawer opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  /** Closes the drawer and takes its step out of the history. */
  const close = () => {
    closing.current = true
    if (editing(window.location.search)) {
      if (pushed.current) navigate(-1)
      else {
        const search = new URLSearchParams(window.location.search)
        search.delete("edit")
        navigate({ search: search.size ? `?${search}` : "" }, { replace: true })
      }
    }
    onClose()
  }

  // Back took the step away: a changed form asks first (the step comes back meanwhile), an unchanged one closes.
  const wasEditing = useRef(false)
  useEffect(() => {
    if (editing(location.search)) {
      wasEditing.current = true
      return
    }
    if (!wasEditing.current || closing.current) return
    if (dirty && !saving) {
      const search = new URLSearchParams(location.search)
      search.set("edit", id)
      pushed.current = true
      navigate({ search: `?${search}` })
      setPrompt("leave")
    } else {
      closing.current = true
      onClose()
    }
    // Only when the address changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.search])

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

  const requestClose = () => (dirty ? setPrompt("leave") : close())

  const stay = () => {
    setPrompt(null)
    if (blocker.state === "blocked") blocker.reset()
  }
  const leave = () => {
    setPrompt(null)
    if (blocker.state === "blocked") {
      closing.current = true
      blocker.proceed()
      onClose()
    } else {
      close()
    }
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
      close()
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
            {/* Drawer.Footer spaces its buttons with margin-left, which sits on the wrong side right to left: a gap works both ways. */}
            <div className="flex items-center justify-end gap-x-2">
              <Button size="small" variant="secondary" type="button" onClick={requestClose} data-testid="lac-settings-cancel">
                {t("actions.cancel")}
              </Button>
              <Button size="small" type="submit" isLoading={saving} data-testid="lac-settings-save">
                {t("actions.save")}
              </Button>
            </div>
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
