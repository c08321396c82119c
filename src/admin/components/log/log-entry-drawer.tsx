import { Drawer, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import type { LogEntry } from "../../lib/types"
import { entryActionText, entryMode, entryReason } from "./log-entry-fields"
import { DrawerHeader } from "../drawer-header"
import { useReturnFocus } from "../../lib/use-return-focus"

/** One log entry in full. Values render as text, whatever they contain. */
export const LogEntryDrawer = ({ entry, onClose }: { entry: LogEntry; onClose: () => void }) => {
  const { t, i18n } = useTranslation()
  const returnFocus = useReturnFocus()
  const action = entryActionText(t, entry)
  const mode = entryMode(entry)
  const rows: Array<[string, string | null]> = [
    [t("loginAsCustomer.log.date"), new Date(entry.created_at).toLocaleString(i18n.language)],
    [t("loginAsCustomer.log.action"), action],
    [t("loginAsCustomer.log.admin"), [entry.user_email, entry.user_id].filter(Boolean).join(" · ") || null],
    [t("loginAsCustomer.log.customer"), [entry.customer_email, entry.customer_id].filter(Boolean).join(" · ") || null],
    [t("loginAsCustomer.log.reason"), entryReason(entry)],
    [t("loginAsCustomer.log.mode"), mode ? t(`loginAsCustomer.log.modes.${mode}`) : null],
    [t("loginAsCustomer.log.session"), entry.session_id],
    [t("loginAsCustomer.log.actor"), [entry.actor_type, entry.actor_id].filter(Boolean).join(" · ")],
    [t("loginAsCustomer.log.id"), entry.id],
  ]
  return (
    <Drawer open onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content data-testid="lac-log-drawer" onCloseAutoFocus={returnFocus}>
        <DrawerHeader>
          <Drawer.Title>{action}</Drawer.Title>
          <Drawer.Description className="sr-only">{t("loginAsCustomer.log.details")}</Drawer.Description>
        </DrawerHeader>
        <Drawer.Body className="flex flex-col gap-y-3 overflow-auto">
          <dl className="flex flex-col gap-y-3">
            {rows.map(([label, value]) => (
              <div key={label} className="grid grid-cols-3 gap-x-2">
                <Text size="small" className="text-ui-fg-subtle" asChild>
                  <dt>{label}</dt>
                </Text>
                <Text size="small" className="col-span-2 break-all" asChild>
                  <dd>{value ?? "—"}</dd>
                </Text>
              </div>
            ))}
          </dl>
          <Text size="small" className="text-ui-fg-subtle">
            {t("loginAsCustomer.log.details")}
          </Text>
          <pre className="bg-ui-bg-subtle overflow-auto rounded p-2 text-xs" dir="ltr">
            {JSON.stringify(entry.details ?? {}, null, 2)}
          </pre>
        </Drawer.Body>
      </Drawer.Content>
    </Drawer>
  )
}
