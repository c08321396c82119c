import { Button, Input, Label, Text } from "@medusajs/ui"
import { useRef, useState, type FormEvent, type KeyboardEvent } from "react"
import { useTranslation } from "react-i18next"
import { parseKeptCheckpoint, type KeptCheckpoint, type KeptCheckpointProblem } from "../../lib/kept-checkpoint"

/** What a kept checkpoint looks like, as Settings → Log health copies it. */
const FORMAT = '{"seq":…,"digest":"…"}'

const PROBLEM: Record<KeptCheckpointProblem, string> = {
  format: "loginAsCustomer.logIntegrity.keptFormat",
  seq: "loginAsCustomer.logIntegrity.keptSeq",
  digest: "loginAsCustomer.logIntegrity.keptDigest",
}

/**
 * "Check a kept checkpoint" on the log page: one field for the checkpoint as
 * Settings → Log health copies it (`{"seq":12,"digest":"…"}`), checked here
 * before it is sent as the verification's anchor; once sent, "Verify without
 * it" goes back to the plain verification.
 */
export const KeptCheckpointForm = ({
  anchor,
  onAnchor,
}: {
  anchor: KeptCheckpoint | null
  onAnchor: (anchor: KeptCheckpoint | null) => void
}) => {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [text, setText] = useState("")
  const [problem, setProblem] = useState<KeptCheckpointProblem | null>(null)
  const toggle = useRef<HTMLButtonElement>(null)

  const close = () => {
    setOpen(false)
    setProblem(null)
    // Back to the button that opened it (it is rendered again once the form is gone).
    setTimeout(() => toggle.current?.focus())
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const parsed = parseKeptCheckpoint(text)
    if ("problem" in parsed) {
      setProblem(parsed.problem)
      return
    }
    onAnchor(parsed.checkpoint)
    close()
  }
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.stopPropagation()
      close()
    }
  }

  if (!open) {
    return (
      <div className="flex flex-wrap items-center gap-2">
        <Button
          ref={toggle}
          type="button"
          size="small"
          variant="transparent"
          className="text-ui-fg-subtle"
          onClick={() => setOpen(true)}
          data-testid="lac-kept-checkpoint-open"
        >
          {t("loginAsCustomer.logIntegrity.checkKept")}
        </Button>
        {anchor && (
          <Button
            type="button"
            size="small"
            variant="transparent"
            className="text-ui-fg-subtle"
            onClick={() => onAnchor(null)}
            data-testid="lac-kept-checkpoint-forget"
          >
            {t("loginAsCustomer.logIntegrity.forgetKept", { seq: anchor.seq })}
          </Button>
        )}
      </div>
    )
  }

  const hintId = "lac-kept-checkpoint-hint"
  const errorId = "lac-kept-checkpoint-error"
  return (
    <form
      id="lac-kept-checkpoint-form"
      className="flex max-w-xl flex-col gap-y-1 py-1"
      onSubmit={submit}
      onKeyDown={onKeyDown}
      noValidate
      data-testid="lac-kept-checkpoint-form"
    >
      <Label htmlFor="lac-kept-checkpoint" size="small" weight="plus">
        {t("loginAsCustomer.logIntegrity.keptField")}
      </Label>
      <Input
        id="lac-kept-checkpoint"
        size="small"
        // JSON reads left to right in every language.
        dir="ltr"
        className="font-mono"
        autoFocus
        autoComplete="off"
        spellCheck={false}
        placeholder='{"seq":12,"digest":"…"}'
        value={text}
        onChange={(event) => {
          setText(event.target.value)
          setProblem(null)
        }}
        aria-invalid={!!problem}
        aria-describedby={problem ? `${errorId} ${hintId}` : hintId}
      />
      <Text id={hintId} size="xsmall" className="text-ui-fg-subtle">
        {t("loginAsCustomer.logIntegrity.keptFieldHint")}
      </Text>
      {problem && (
        <Text id={errorId} size="small" className="text-ui-fg-error" role="alert" data-testid="lac-kept-checkpoint-error">
          {t(PROBLEM[problem])}
          {problem === "format" && (
            <>
              {" "}
              {/* JSON reads left to right, also inside a right-to-left sentence: one block, never broken across lines. */}
              <code dir="ltr" className="inline-block whitespace-nowrap font-mono">
                {FORMAT}
              </code>
            </>
          )}
        </Text>
      )}
      <div className="flex flex-wrap items-center gap-2 pt-1">
        <Button type="submit" size="small" variant="secondary" data-testid="lac-kept-checkpoint-verify">
          {t("loginAsCustomer.logIntegrity.verifyKept")}
        </Button>
        <Button type="button" size="small" variant="transparent" onClick={close}>
          {t("loginAsCustomer.logIntegrity.cancel")}
        </Button>
      </div>
    </form>
  )
}
