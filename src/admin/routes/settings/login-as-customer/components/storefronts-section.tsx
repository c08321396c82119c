import { Trash } from "@medusajs/icons"
import { Button, Input, Label, Select, Text } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useUpdateSettings } from "../../../../hooks/api/login-as-customer"
import { useSalesChannels } from "../../../../hooks/api/sales-channels"
import type { Settings, Storefront } from "../../../../lib/types"
import { EditDrawer, FieldErrors } from "./edit-drawer"
import { Note, Row, Section, SectionTable } from "./section"
import { Table } from "./table"

type Draft = { store_selection: Settings["store_selection"]; storefronts: Storefront[] }

/** Radix Select has no empty value: this stands for "no sales channel". */
const NONE = "__none__"

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value)
    return url.protocol === "http:" || url.protocol === "https:"
  } catch {
    return false
  }
}

/** Splits a login URL into its origin and the rest ("/account?x=1#y"). */
export function splitLoginUrl(value: string): { origin: string; path: string } {
  try {
    const url = new URL(value)
    return { origin: url.origin, path: `${url.pathname}${url.search}${url.hash}` }
  } catch {
    return { origin: "", path: value.startsWith("/") ? value : "/" }
  }
}

/**
 * The storefronts Login as Customer opens: each with a name, the sales
 * channel whose orders open it, and its login URL. When the server names the
 * origins allowed at deploy time, the URL is an origin chosen among them plus
 * a path.
 */
export const StorefrontsSection = ({
  settings,
  allowedOrigins,
}: {
  settings: Settings
  allowedOrigins: string[] | null
}) => {
  const { t } = useTranslation()
  const [editing, setEditing] = useState(false)
  const update = useUpdateSettings()
  const channels = useSalesChannels()
  const channelList = channels.data?.sales_channels ?? []
  const channelName = (id: string | null) => {
    if (!id) return t("loginAsCustomer.settings.noSalesChannel")
    const found = channelList.find((channel) => channel.id === id)
    return found ? found.name : t("loginAsCustomer.settings.salesChannelMissing", { id })
  }

  return (
    <Section
      id="storefronts"
      title={t("loginAsCustomer.settings.storefronts")}
      description={t("loginAsCustomer.settings.storefrontsDescription")}
      onEdit={() => setEditing(true)}
    >
      <Row label={t("loginAsCustomer.settings.storeSelection")}>
        {t(`loginAsCustomer.settings.${settings.store_selection === "manual" ? "manual" : "auto"}`)}
      </Row>
      {settings.storefronts.length ? (
        <SectionTable
          headers={[
            t("loginAsCustomer.settings.storefrontName"),
            t("loginAsCustomer.settings.salesChannel"),
            t("loginAsCustomer.settings.loginUrl"),
          ]}
        >
              {settings.storefronts.map((storefront) => (
                <Table.Row key={storefront.id} data-testid="lac-storefront-row">
                  <Table.Cell>{storefront.name}</Table.Cell>
                  <Table.Cell>{channelName(storefront.sales_channel_id)}</Table.Cell>
                  <Table.Cell className="break-all">
                    {/* The address reads left to right; its cell keeps the page's direction and alignment. */}
                    <bdi dir="ltr">{storefront.login_url}</bdi>
                  </Table.Cell>
                </Table.Row>
              ))}
        </SectionTable>
      ) : (
        <Note>{t("loginAsCustomer.settings.noStorefronts")}</Note>
      )}

      {editing && (
        <EditDrawer<Draft>
          id="storefronts"
          title={t("loginAsCustomer.settings.storefronts")}
          description={t("loginAsCustomer.settings.storefrontsDescription")}
          initial={{ store_selection: settings.store_selection, storefronts: settings.storefronts }}
          onClose={() => setEditing(false)}
          validate={(draft) => {
            const errors: FieldErrors = {}
            draft.storefronts.forEach((storefront, i) => {
              if (!storefront.name.trim()) errors[`${i}.name`] = t("loginAsCustomer.settings.nameRequired")
              if (allowedOrigins) {
                const { origin, path } = splitLoginUrl(storefront.login_url)
                if (!allowedOrigins.includes(origin)) errors[`${i}.origin`] = t("loginAsCustomer.settings.originRequired")
                if (!path.startsWith("/")) errors[`${i}.path`] = t("loginAsCustomer.settings.pathInvalid")
              } else if (!isHttpUrl(storefront.login_url.trim())) {
                errors[`${i}.login_url`] = t("loginAsCustomer.settings.loginUrlInvalid")
              }
            })
            return errors
          }}
          onSave={(draft) =>
            update.mutateAsync({
              store_selection: draft.store_selection,
              storefronts: draft.storefronts.map((s) => ({
                ...(s.id ? { id: s.id } : {}),
                name: s.name.trim(),
                login_url: s.login_url.trim(),
                sales_channel_id: s.sales_channel_id || null,
              })) as Storefront[],
            })
          }
        >
          {(draft, setDraft, errors) => {
            const change = (index: number, changes: Partial<Storefront>) =>
              setDraft({
                ...draft,
                storefronts: draft.storefronts.map((s, i) => (i === index ? { ...s, ...changes } : s)),
              })
            const error = (key: string, id: string) =>
              errors[key] ? (
                <Text id={id} size="small" className="text-ui-fg-error">
                  {errors[key]}
                </Text>
              ) : null
            return (
              <>
                <div className="flex flex-col gap-y-2">
                  <Label htmlFor="lac-store-selection" size="small" weight="plus">
                    {t("loginAsCustomer.settings.storeSelection")}
                  </Label>
                  <Select
                    value={draft.store_selection}
                    onValueChange={(value) => setDraft({ ...draft, store_selection: value as Draft["store_selection"] })}
                  >
                    <Select.Trigger id="lac-store-selection">
                      <Select.Value />
                    </Select.Trigger>
                    <Select.Content>
                      <Select.Item value="auto">{t("loginAsCustomer.settings.auto")}</Select.Item>
                      <Select.Item value="manual">{t("loginAsCustomer.settings.manual")}</Select.Item>
                    </Select.Content>
                  </Select>
                </div>

                {draft.storefronts.map((storefront, i) => {
                  const prefix = `lac-storefront-${i}`
                  const { origin, path } = splitLoginUrl(storefront.login_url)
                  const originChoices =
                    allowedOrigins && origin && !allowedOrigins.includes(origin)
                      ? [...allowedOrigins, origin]
                      : allowedOrigins ?? []
                  const heading = storefront.name.trim() || t("loginAsCustomer.settings.newStorefront")
                  return (
                    <fieldset
                      key={i}
                      className="border-ui-border-base flex flex-col gap-y-4 rounded-lg border p-4"
                      data-testid="lac-storefront-editor"
                    >
                      <legend className="sr-only">{heading}</legend>
                      <div className="flex items-center justify-between gap-x-2">
                        <Text size="small" weight="plus" aria-hidden>
                          {heading}
                        </Text>
                        <Button
                          size="small"
                          variant="transparent"
                          type="button"
                          aria-label={t("loginAsCustomer.settings.removeStorefront", { name: heading })}
                          onClick={() =>
                            setDraft({ ...draft, storefronts: draft.storefronts.filter((_, j) => j !== i) })
                          }
                        >
                          <Trash />
                          {t("loginAsCustomer.settings.remove")}
                        </Button>
                      </div>
                      <div className="flex flex-col gap-y-2">
                        <Label htmlFor={`${prefix}-name`} size="small" weight="plus">
                          {t("loginAsCustomer.settings.storefrontName")}
                        </Label>
                        <Input
                          id={`${prefix}-name`}
                          value={storefront.name}
                          onChange={(e) => change(i, { name: e.target.value })}
                          aria-invalid={!!errors[`${i}.name`]}
                          aria-describedby={errors[`${i}.name`] ? `${prefix}-name-error` : undefined}
                        />
                        {error(`${i}.name`, `${prefix}-name-error`)}
                      </div>
                      <div className="flex flex-col gap-y-2">
                        <Label htmlFor={`${prefix}-channel`} size="small" weight="plus">
                          {t("loginAsCustomer.settings.salesChannel")}
                        </Label>
                        <Select
                          value={storefront.sales_channel_id || NONE}
                          onValueChange={(value) => change(i, { sales_channel_id: value === NONE ? null : value })}
                        >
                          <Select.Trigger id={`${prefix}-channel`} aria-describedby={`${prefix}-channel-hint`}>
                            <Select.Value />
                          </Select.Trigger>
                          <Select.Content>
                            <Select.Item value={NONE}>{t("loginAsCustomer.settings.noSalesChannel")}</Select.Item>
                            {channelList.map((channel) => (
                              <Select.Item key={channel.id} value={channel.id}>
                                {channel.name}
                              </Select.Item>
                            ))}
                            {storefront.sales_channel_id &&
                              !channelList.some((channel) => channel.id === storefront.sales_channel_id) && (
                                <Select.Item value={storefront.sales_channel_id}>
                                  {channels.isLoading
                                    ? storefront.sales_channel_id
                                    : channelName(storefront.sales_channel_id)}
                                </Select.Item>
                              )}
                          </Select.Content>
                        </Select>
                        <Text id={`${prefix}-channel-hint`} size="small" className="text-ui-fg-subtle">
                          {t("loginAsCustomer.settings.salesChannelHint")}
                        </Text>
                      </div>
                      {allowedOrigins ? (
                        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
                          <div className="flex flex-col gap-y-2">
                            <Label htmlFor={`${prefix}-origin`} size="small" weight="plus">
                              {t("loginAsCustomer.settings.origin")}
                            </Label>
                            <Select
                              value={origin}
                              onValueChange={(value) => change(i, { login_url: `${value}${path || "/"}` })}
                            >
                              <Select.Trigger
                                id={`${prefix}-origin`}
                                aria-invalid={!!errors[`${i}.origin`]}
                                aria-describedby={`${prefix}-origin-hint`}
                              >
                                <Select.Value placeholder={t("loginAsCustomer.settings.chooseOrigin")} />
                              </Select.Trigger>
                              <Select.Content>
                                {originChoices.map((choice) => (
                                  <Select.Item key={choice} value={choice}>
                                    {allowedOrigins.includes(choice)
                                      ? choice
                                      : t("loginAsCustomer.settings.originNotAllowed", { origin: choice })}
                                  </Select.Item>
                                ))}
                              </Select.Content>
                            </Select>
                            {error(`${i}.origin`, `${prefix}-origin-error`) ?? (
                              <Text id={`${prefix}-origin-hint`} size="small" className="text-ui-fg-subtle">
                                {allowedOrigins.length
                                  ? t("loginAsCustomer.settings.originHint")
                                  : t("loginAsCustomer.settings.noOrigins")}
                              </Text>
                            )}
                          </div>
                          <div className="flex flex-col gap-y-2">
                            <Label htmlFor={`${prefix}-path`} size="small" weight="plus">
                              {t("loginAsCustomer.settings.path")}
                            </Label>
                            <Input
                              id={`${prefix}-path`}
                              dir="ltr"
                              value={path}
                              placeholder="/"
                              onChange={(e) => change(i, { login_url: `${origin}${e.target.value}` })}
                              aria-invalid={!!errors[`${i}.path`]}
                              aria-describedby={errors[`${i}.path`] ? `${prefix}-path-error` : undefined}
                            />
                            {error(`${i}.path`, `${prefix}-path-error`)}
                          </div>
                        </div>
                      ) : (
                        <div className="flex flex-col gap-y-2">
                          <Label htmlFor={`${prefix}-url`} size="small" weight="plus">
                            {t("loginAsCustomer.settings.loginUrl")}
                          </Label>
                          <Input
                            id={`${prefix}-url`}
                            dir="ltr"
                            type="url"
                            placeholder="https://shop.example.com/account"
                            value={storefront.login_url}
                            onChange={(e) => change(i, { login_url: e.target.value })}
                            aria-invalid={!!errors[`${i}.login_url`]}
                            aria-describedby={errors[`${i}.login_url`] ? `${prefix}-url-error` : undefined}
                            data-testid="lac-storefront-url"
                          />
                          {error(`${i}.login_url`, `${prefix}-url-error`)}
                        </div>
                      )}
                    </fieldset>
                  )
                })}
                <div>
                  <Button
                    size="small"
                    variant="secondary"
                    type="button"
                    onClick={() =>
                      setDraft({
                        ...draft,
                        storefronts: [
                          ...draft.storefronts,
                          {
                            id: "",
                            name: "",
                            sales_channel_id: null,
                            login_url: allowedOrigins?.length === 1 ? `${allowedOrigins[0]}/` : "",
                          },
                        ],
                      })
                    }
                  >
                    {t("loginAsCustomer.settings.addStorefront")}
                  </Button>
                </div>
              </>
            )
          }}
        </EditDrawer>
      )}
    </Section>
  )
}
