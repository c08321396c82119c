import { Drawer, StatusBadge, Text } from "@medusajs/ui"
import { EraseCustomerButton } from "../log-integrity/erase-customer-button"
import { useErasableLines } from "../../hooks/api/log-integrity"
import { useTranslation } from "react-i18next"
import type { LogEntry } from "../../lib/types"
import { formatDate } from "../../lib/locale"
import {
  actorTypeText,
  entryActionText,
  entryDetailFields,
  entryMode,
  entryReason,
  entryRefused,
  parts,
} from "./log-entry-fields"
import { useSettings } from "../../hooks/api/login-as-customer"
import { DrawerHeader } from "../drawer-header"
import { useReturnFocus } from "../../lib/use-return-focus"

/** A value, or its parts shown apart ("Admin · admin@example.com · user_1"), each isolated so right-to-left text keeps their order. */
type Row = { id: string; label: string; value: string | string[] | null }

/** A person as the drawer names them: the email, then the id (for support and the export). */
const person = (email: string | null | undefined, id: string | null | undefined) => parts(email, id)

/**
 * One log entry in full: labelled fields in the admin's language (a refusal
 * marked and said why), the recorded data folded away as JSON below. Values
 * render as text, whatever they contain.
 */
export const LogEntryDrawer = ({ entry, onClose }: { entry: LogEntry; onClose: () => void }) => {
  const { t, i18n } = useTranslation()
  const returnFocus = useReturnFocus()
  // Storefronts by name where the admin may read the settings; else by id.
  const settings = useSettings()
  const storefrontNames = Object.fromEntries((settings.data?.settings.storefronts ?? []).map((s) => [s.id, s.name]))
  const action = entryActionText(t, entry)
  const erasable = useErasableLines(entry.customer_id)
  const mode = entryMode(entry)
  const refused = entryRefused(entry)
  const actor =
    entry.actor_type === "user"
      ? person(entry.actor_id === entry.user_id ? entry.user_email : null, entry.actor_id)
      : entry.actor_type === "customer"
        ? person(entry.actor_id === entry.customer_id ? entry.customer_email : null, entry.actor_id)
        : parts(entry.actor_id)
  const rows: Row[] = [
    { id: "date", label: t("loginAsCustomer.log.date"), value: formatDate(entry.created_at, i18n.language) },
    { id: "action", label: t("loginAsCustomer.log.action"), value: action },
    ...entryDetailFields(t, entry, i18n.language, storefrontNames),
    { id: "admin", label: t("loginAsCustomer.log.admin"), value: person(entry.user_email, entry.user_id) },
    { id: "customer", label: t("loginAsCustomer.log.customer"), value: person(entry.customer_email, entry.customer_id) },
    { id: "reason", label: t("loginAsCustomer.log.reason"), value: entryReason(entry) },
    { id: "mode", label: t("loginAsCustomer.log.mode"), value: mode ? t(`loginAsCustomer.log.modes.${mode}`) : null },
    { id: "session", label: t("loginAsCustomer.log.session"), value: entry.session_id },
    {
      id: "actor",
      label: t("loginAsCustomer.log.actor"),
      value: parts(actorTypeText(t, entry.actor_type), ...actor),
    },
    { id: "entry", label: t("loginAsCustomer.log.fields.entry"), value: entry.id },
  ]
  return (
    <Drawer open onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content data-testid="lac-log-drawer" onCloseAutoFocus={returnFocus}>
        <DrawerHeader>
          <div className="flex flex-wrap items-center gap-2">
            <Drawer.Title>{action}</Drawer.Title>
            {refused && (
              <StatusBadge color="red" data-testid="lac-log-refused">
                {t("loginAsCustomer.log.refused")}
              </StatusBadge>
            )}
          </div>
          <Drawer.Description className="sr-only">{t("loginAsCustomer.log.details")}</Drawer.Description>
        </DrawerHeader>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-auto">
          <dl className="flex flex-col gap-y-3">
            {rows.map(({ id, label, value }) => (
              <div key={id} className="grid grid-cols-3 gap-x-2" data-testid={`lac-log-field-${id}`}>
                <Text size="small" className="text-ui-fg-subtle" asChild>
                  <dt>{label}</dt>
                </Text>
                <Text
                  size="small"
                  className={id === "refusal" ? "text-ui-fg-error col-span-2 break-words" : "col-span-2 break-words"}
                  asChild
                >
                  <dd>
                    {Array.isArray(value)
                      ? value.length
                        ? value.map((part, i) => (
                            <span key={i}>
                              {i > 0 && " · "}
                              <bdi>{part}</bdi>
                            </span>
                          ))
                        : "—"
                      : value ?? "—"}
                  </dd>
                </Text>
              </div>
            ))}
          </dl>
          {/* The data as recorded, for support and audits: folded, never the first thing to read. */}
          <details className="group" data-testid="lac-log-raw">
            <summary className="text-ui-fg-subtle txt-compact-small cursor-pointer select-none">
              {t("loginAsCustomer.log.fields.raw")}
            </summary>
            <pre className="bg-ui-bg-subtle mt-2 overflow-auto rounded p-2 text-xs" dir="ltr">
              {JSON.stringify(entry.details ?? {}, null, 2)}
            </pre>
          </details>
        </Drawer.Body>
        {/* Where a merchant looks at a customer's line: erase what the log holds about them (admins who may manage). */}
        {entry.customer_id && erasable.data?.can_erase && (
          <Drawer.Footer data-testid="lac-log-drawer-footer">
            <EraseCustomerButton customerId={entry.customer_id} />
          </Drawer.Footer>
        )}
      </Drawer.Content>
    </Drawer>
  )
}
