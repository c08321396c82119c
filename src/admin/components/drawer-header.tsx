import { XMark } from "@medusajs/icons"
import { clx, Drawer, IconButton, Kbd } from "@medusajs/ui"
import type { ReactNode } from "react"
import { useTranslation } from "react-i18next"

/**
 * Drawer.Header as Medusa draws it (title on the start, "esc" and a close
 * button on the end), with a close button that says what it does: Medusa's
 * own has no accessible name.
 */
export const DrawerHeader = ({ children, className }: { children: ReactNode; className?: string }) => {
  const { t } = useTranslation()
  return (
    <div className="border-ui-border-base flex items-start justify-between gap-x-4 border-b px-6 py-4">
      <div className={clx("flex flex-col gap-y-1", className)}>{children}</div>
      <div className="flex items-center gap-x-2">
        <Kbd aria-hidden>esc</Kbd>
        <Drawer.Close asChild>
          <IconButton size="small" type="button" variant="transparent" aria-label={t("actions.close")}>
            <XMark />
          </IconButton>
        </Drawer.Close>
      </div>
    </div>
  )
}
