import { Checkbox, Label, StatusBadge } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { RESTRICTABLE_ACTIONS } from "../../../../../types"
import { useUpdateSettings } from "../../../../hooks/api/login-as-customer"
import type { Settings } from "../../../../lib/types"
import { EditDrawer } from "./edit-drawer"
import { Row, Section } from "./section"

type Draft = { restricted_actions: string[] }

/** What an admin logged in as a customer may not do in the storefront. */
export const RestrictionsSection = ({ settings }: { settings: Settings }) => {
  const { t } = useTranslation()
  const [editing, setEditing] = useState(false)
  const update = useUpdateSettings()

  return (
    <Section
      id="restrictions"
      title={t("loginAsCustomer.settings.restrictedActions")}
      description={t("loginAsCustomer.settings.restrictedActionsDescription")}
      onEdit={() => setEditing(true)}
    >
      {RESTRICTABLE_ACTIONS.map((action) => {
        const blocked = settings.restricted_actions.includes(action)
        return (
          <Row key={action} label={t(`loginAsCustomer.settings.action_${action}`)}>
            <StatusBadge color={blocked ? "red" : "green"}>
              {t(blocked ? "loginAsCustomer.settings.blocked" : "loginAsCustomer.settings.allowed")}
            </StatusBadge>
          </Row>
        )
      })}

      {editing && (
        <EditDrawer<Draft>
          id="restrictions"
          title={t("loginAsCustomer.settings.restrictedActions")}
          description={t("loginAsCustomer.settings.restrictedActionsDescription")}
          initial={{ restricted_actions: RESTRICTABLE_ACTIONS.filter((a) => settings.restricted_actions.includes(a)) }}
          onClose={() => setEditing(false)}
          onSave={(draft) =>
            update.mutateAsync({
              // In the order the list is shown, so the form's dirtiness isn't about order.
              restricted_actions: RESTRICTABLE_ACTIONS.filter((a) => draft.restricted_actions.includes(a)),
            })
          }
        >
          {(draft, setDraft) => (
            <div className="flex flex-col gap-y-3">
              {RESTRICTABLE_ACTIONS.map((action) => (
                <div key={action} className="flex items-center gap-x-3">
                  <Checkbox
                    id={`lac-restrict-${action}`}
                    checked={draft.restricted_actions.includes(action)}
                    onCheckedChange={(checked) =>
                      setDraft({
                        restricted_actions: RESTRICTABLE_ACTIONS.filter((a) =>
                          a === action ? checked === true : draft.restricted_actions.includes(a)
                        ),
                      })
                    }
                  />
                  <Label htmlFor={`lac-restrict-${action}`} size="small">
                    {t(`loginAsCustomer.settings.action_${action}`)}
                  </Label>
                </div>
              ))}
            </div>
          )}
        </EditDrawer>
      )}
    </Section>
  )
}
