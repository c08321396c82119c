import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import type { LogHealth } from "../../hooks/api/log-integrity"

/**
 * Log health's warning that the log's triggers in the database were changed
 * (switched off, left firing only outside replica mode, made again, their
 * function replaced, or dropped): the
 * database no longer refuses every change to the log. Each trigger is named
 * with its state as the server gives them, as technical detail. Nothing
 * while every trigger is as the migrations left it.
 */
export const GuardsChanged = ({ changed }: { changed: LogHealth["guards_changed"] | undefined }) => {
  const { t } = useTranslation()
  if (!changed?.length) {
    return null
  }
  return (
    <div className="px-6 py-4">
      <Text size="small" className="text-ui-fg-error" data-testid="lac-log-health-guards-changed">
        {t("loginAsCustomer.logIntegrity.guardsChanged")}
      </Text>
      <ul className="mt-2 flex flex-col gap-y-1">
        {changed.map((guard) => (
          <li key={`${guard.table}.${guard.trigger}`}>
            {/* PostgreSQL's names and states: left to right as a whole, also inside a right-to-left page. */}
            <code dir="ltr" className="txt-compact-small text-ui-fg-subtle">
              {`${guard.trigger} on ${guard.table}: ${guard.state}`}
            </code>
          </li>
        ))}
      </ul>
    </div>
  )
}
