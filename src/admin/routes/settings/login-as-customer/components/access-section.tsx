import { Alert, Button, Checkbox, Label, Select, StatusBadge } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useUpdateGrant, useUpdateSettings } from "../../../../hooks/api/login-as-customer"
import type { Grant, Settings } from "../../../../lib/types"
import { EditDrawer } from "./edit-drawer"
import { Note, Row, Section, SectionTable } from "./section"
import { Table } from "./table"

type GrantDraft = Pick<Grant, "user_id" | "can_login" | "can_view_log">
type Draft = { access: Settings["access"]; grants: GrantDraft[] }
type GrantsData = { rbac: boolean; grants: Grant[] }

const PERMISSIONS = ["can_login", "can_view_log"] as const
const LABELS = { can_login: "loginAsCustomer.settings.canLogin", can_view_log: "loginAsCustomer.settings.canViewLog" }

const displayName = (grant: Grant) =>
  [grant.first_name, grant.last_name].filter(Boolean).join(" ")

/**
 * Who may log in as customers and view the log. With Medusa's RBAC on, roles
 * decide and this section only says so. Otherwise the access mode and the
 * admins' grants are edited together and saved together, on Save.
 */
export const AccessSection = ({
  settings,
  grants,
  currentUserId,
}: {
  settings: Settings
  grants: GrantsData | undefined
  currentUserId: string | undefined
}) => {
  const { t } = useTranslation()
  const [editing, setEditing] = useState(false)
  const updateSettings = useUpdateSettings()
  const updateGrant = useUpdateGrant()

  if (grants?.rbac) {
    return (
      <Section id="access" title={t("loginAsCustomer.settings.accessTitle")}>
        <Note>{t("loginAsCustomer.settings.rbacNote")}</Note>
      </Section>
    )
  }

  const grantHeaders = [
    t("loginAsCustomer.settings.grants"),
    t("loginAsCustomer.settings.canLogin"),
    t("loginAsCustomer.settings.canViewLog"),
  ]
  const list = grants?.grants ?? []
  const selected = list.filter((grant) => grant.can_login || grant.can_view_log)
  const initial: Draft = {
    access: settings.access,
    grants: list.map(({ user_id, can_login, can_view_log }) => ({ user_id, can_login, can_view_log })),
  }
  const locksOut = (draft: Draft) => {
    if (draft.access !== "selected_admins" || !currentUserId) return false
    const own = draft.grants.find((grant) => grant.user_id === currentUserId)
    return !own?.can_login && !own?.can_view_log
  }

  const save = async (draft: Draft) => {
    const before = new Map(initial.grants.map((grant) => [grant.user_id, grant]))
    const changed = draft.grants.filter((grant) => {
      const was = before.get(grant.user_id)
      return !was || was.can_login !== grant.can_login || was.can_view_log !== grant.can_view_log
    })
    const saveGrants = async () => {
      for (const grant of changed) {
        await updateGrant.mutateAsync(grant)
      }
    }
    // The order keeps every moment in between safe: grants are in place before
    // "selected admins" makes them count, and "all admins" is in force before
    // grants are taken away.
    if (draft.access === "selected_admins") {
      await saveGrants()
      if (draft.access !== settings.access) await updateSettings.mutateAsync({ access: draft.access })
    } else {
      if (draft.access !== settings.access) await updateSettings.mutateAsync({ access: draft.access })
      await saveGrants()
    }
  }

  return (
    <Section id="access" title={t("loginAsCustomer.settings.accessTitle")} onEdit={grants ? () => setEditing(true) : undefined}>
      <Row label={t("loginAsCustomer.settings.access")}>
        {t(`loginAsCustomer.settings.${settings.access}`)}
      </Row>
      {settings.access === "selected_admins" &&
        (selected.length ? (
          <SectionTable headers={grantHeaders}>
                {selected.map((grant) => (
                  <Table.Row key={grant.user_id}>
                    <Table.Cell>
                      {grant.email}
                      {grant.user_id === currentUserId ? ` ${t("loginAsCustomer.settings.you")}` : ""}
                    </Table.Cell>
                    {PERMISSIONS.map((key) => (
                      <Table.Cell key={key}>
                        <StatusBadge color={grant[key] ? "green" : "grey"}>
                          {t(grant[key] ? "loginAsCustomer.settings.yes" : "loginAsCustomer.settings.no")}
                        </StatusBadge>
                      </Table.Cell>
                    ))}
                  </Table.Row>
                ))}
          </SectionTable>
        ) : (
          <Note>{t("loginAsCustomer.settings.noAdminsSelected")}</Note>
        ))}

      {editing && (
        <EditDrawer<Draft>
          id="access"
          title={t("loginAsCustomer.settings.accessTitle")}
          initial={initial}
          onClose={() => setEditing(false)}
          confirmation={(draft) =>
            locksOut(draft)
              ? {
                  title: t("loginAsCustomer.settings.lockoutTitle"),
                  description: t("loginAsCustomer.settings.lockoutDescription"),
                  action: t("loginAsCustomer.settings.lockoutAction"),
                  testId: "lac-lockout-confirm",
                }
              : null
          }
          onSave={save}
        >
          {(draft, setDraft) => {
            const setGrant = (userId: string, key: (typeof PERMISSIONS)[number], value: boolean) =>
              setDraft({
                ...draft,
                grants: draft.grants.map((grant) => (grant.user_id === userId ? { ...grant, [key]: value } : grant)),
              })
            return (
              <>
                <div className="flex flex-col gap-y-2">
                  <Label htmlFor="lac-access" size="small" weight="plus">
                    {t("loginAsCustomer.settings.access")}
                  </Label>
                  <Select
                    value={draft.access}
                    onValueChange={(value) => setDraft({ ...draft, access: value as Draft["access"] })}
                  >
                    <Select.Trigger id="lac-access" data-testid="lac-access">
                      <Select.Value />
                    </Select.Trigger>
                    <Select.Content>
                      <Select.Item value="all_admins">{t("loginAsCustomer.settings.all_admins")}</Select.Item>
                      <Select.Item value="selected_admins">{t("loginAsCustomer.settings.selected_admins")}</Select.Item>
                    </Select.Content>
                  </Select>
                </div>
                {draft.access === "selected_admins" && (
                  <>
                    {locksOut(draft) && (
                      <Alert variant="warning" data-testid="lac-lockout-warning">
                        <div className="flex flex-col items-start gap-y-2">
                          <span>{t("loginAsCustomer.settings.lockoutWarning")}</span>
                          <Button
                            size="small"
                            variant="secondary"
                            type="button"
                            onClick={() =>
                              setDraft({
                                ...draft,
                                grants: draft.grants.map((grant) =>
                                  grant.user_id === currentUserId
                                    ? { ...grant, can_login: true, can_view_log: true }
                                    : grant
                                ),
                              })
                            }
                          >
                            {t("loginAsCustomer.settings.selectMe")}
                          </Button>
                        </div>
                      </Alert>
                    )}
                    <SectionTable headers={grantHeaders} testId="lac-grants">
                          {list.map((user) => {
                            const grant = draft.grants.find((g) => g.user_id === user.user_id)!
                            const name = displayName(user)
                            return (
                              <Table.Row key={user.user_id}>
                                <Table.Cell>
                                  <div className="flex flex-col py-1">
                                    <span>
                                      {user.email}
                                      {user.user_id === currentUserId ? ` ${t("loginAsCustomer.settings.you")}` : ""}
                                    </span>
                                    {name && <span className="text-ui-fg-subtle">{name}</span>}
                                  </div>
                                </Table.Cell>
                                {PERMISSIONS.map((key) => (
                                  <Table.Cell key={key}>
                                    <Checkbox
                                      checked={grant[key]}
                                      aria-label={t("loginAsCustomer.settings.grantLabel", {
                                        permission: t(LABELS[key]),
                                        email: user.email,
                                      })}
                                      onCheckedChange={(checked) => setGrant(user.user_id, key, checked === true)}
                                    />
                                  </Table.Cell>
                                ))}
                              </Table.Row>
                            )
                          })}
                    </SectionTable>
                  </>
                )}
              </>
            )
          }}
        </EditDrawer>
      )}
    </Section>
  )
}
