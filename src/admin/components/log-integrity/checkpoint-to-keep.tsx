import { Button, Text, Tooltip } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { keptCheckpointJson, shortDigest, type KeptCheckpoint } from "../../lib/kept-checkpoint"

/** Writes text to the clipboard; where the Clipboard API is refused (no secure context), through a selected text area. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    const area = document.createElement("textarea")
    area.value = text
    area.setAttribute("readonly", "")
    area.style.position = "fixed"
    area.style.opacity = "0"
    document.body.appendChild(area)
    area.select()
    try {
      return document.execCommand("copy")
    } finally {
      area.remove()
    }
  }
}

/**
 * The newest seal's checkpoint as a merchant keeps it outside the database:
 * "Checkpoint #12", its digest (shortened; the whole of it on hover or
 * focus), Copy (the JSON the log page's verification takes) and why.
 */
export const CheckpointToKeep = ({ checkpoint }: { checkpoint: KeptCheckpoint }) => {
  const { t } = useTranslation()
  const [copied, setCopied] = useState<boolean | null>(null)
  useEffect(() => {
    if (copied == null) return
    const timer = setTimeout(() => setCopied(null), 2500)
    return () => clearTimeout(timer)
  }, [copied])
  const copy = async () => setCopied(await copyText(keptCheckpointJson(checkpoint)))
  return (
    <div className="flex flex-col items-start gap-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <Text size="small" leading="compact" weight="plus" id="lac-kept-checkpoint-name">
          {t("loginAsCustomer.logIntegrity.checkpointNumber", { seq: checkpoint.seq })}
        </Text>
        <Tooltip content={<span className="break-all font-mono">{checkpoint.digest}</span>} maxWidth={320}>
          {/* Focusable, so the whole digest shows from the keyboard too; read out whole. */}
          <code
            tabIndex={0}
            dir="ltr"
            className="bg-ui-bg-subtle txt-compact-xsmall rounded px-1 font-mono focus-visible:shadow-borders-focus outline-none"
            data-testid="lac-kept-checkpoint-digest"
            data-digest={checkpoint.digest}
          >
            <span aria-hidden="true">{shortDigest(checkpoint.digest)}</span>
            <span className="sr-only">{checkpoint.digest}</span>
          </code>
        </Tooltip>
        <Button
          type="button"
          size="small"
          variant="secondary"
          onClick={copy}
          aria-describedby="lac-kept-checkpoint-name"
          data-testid="lac-kept-checkpoint-copy"
        >
          {t("loginAsCustomer.logIntegrity.copy")}
        </Button>
        <span
          aria-live="polite"
          className={copied === false ? "text-ui-fg-error txt-compact-small" : "text-ui-fg-subtle txt-compact-small"}
          data-testid="lac-kept-checkpoint-copied"
        >
          {copied === false ? t("loginAsCustomer.logIntegrity.copyFailed") : copied ? t("loginAsCustomer.logIntegrity.copied") : ""}
        </span>
      </div>
      <Text size="small" className="text-ui-fg-subtle">
        {t("loginAsCustomer.logIntegrity.keepHint")}
      </Text>
    </div>
  )
}
