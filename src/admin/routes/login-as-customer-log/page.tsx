import { defineRouteConfig } from "@medusajs/admin-sdk"
import { DocumentText } from "@medusajs/icons"
import {
  Button,
  Container,
  createDataTableColumnHelper,
  createDataTableFilterHelper,
  DataTable,
  Heading,
  StatusBadge,
  Text,
  useDataTable,
} from "@medusajs/ui"
import { useCallback, useEffect, useMemo, useRef, useState } from "react"
import { useTranslation } from "react-i18next"
import { LogEntryDrawer } from "../../components/log/log-entry-drawer"
import { EraseCustomerButton } from "../../components/log-integrity/erase-customer-button"
import { IntegrityStatus } from "../../components/log-integrity/integrity-status"
import {
  entryActionText,
  entryMode,
  entryReason,
  entryRefused,
  entryRefusalText,
  entryRestrictedActionsText,
} from "../../components/log/log-entry-fields"
import { OptionList, toggled } from "../../components/log/option-list"
import { PersonPicker } from "../../components/log/person-picker"
import { SessionsChart } from "../../components/log/sessions-chart"
import { logExportUrl, LogQuery, useLog, useLogStats } from "../../hooks/api/log"
import { errorMessage } from "../../lib/errors"
import { formatDate, localeTag } from "../../lib/locale"
import { useToolbarNames } from "../../lib/use-toolbar-names"
import type { LogEntry } from "../../lib/types"
import { LOG_ACTIONS } from "../../../types"
import { LOG_PAGE_SIZE } from "./log-url-params"
import { useLogUrlState } from "./use-log-url-state"
import { usePickedNames } from "./use-picked-names"

const columnHelper = createDataTableColumnHelper<LogEntry>()
const filterHelper = createDataTableFilterHelper<LogEntry>()

type FilterProps = Parameters<typeof filterHelper.accessor>[1]
type CustomFilterRender = { value: unknown; onChange: (value: unknown) => void }

const asList = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.length ? (value as string[]) : undefined

/**
 * A cell's text on one line, cut with an ellipsis past 12rem (the whole text
 * on hover and in the entry's drawer): the table sizes its columns by their
 * content, and one long email would push the last columns out of view.
 */
const Clipped = ({ text }: { text: string }) => (
  <span className="block max-w-[12rem] truncate" title={text}>
    {text}
  </span>
)

/** The Login as Customer log: filter, sort, page through, open one entry, export CSV. */
const LoginAsCustomerLogPage = () => {
  const { t, i18n } = useTranslation()
  // Filters, search, sort and page live in the page's address (a reload, Back or a link shows the same lines).
  const url = useLogUrlState()
  const { state, filtering } = url
  const [selected, setSelected] = useState<LogEntry | null>(null)
  // Names of the admins and customers picked in the filters, by id; those from the address are looked up.
  const [picked, setPicked] = useState<Record<string, string>>({})
  const labels = usePickedNames(state, picked)
  const toolbar = useRef<HTMLDivElement>(null)
  useToolbarNames(toolbar, [t("filters.filterLabel"), t("filters.sortLabel")])

  const query = useMemo<LogQuery>(
    () => ({
      q: state.q.trim() || undefined,
      action: state.action.length ? state.action : undefined,
      user_id: state.user_id.length ? state.user_id : undefined,
      customer_id: state.customer_id.length ? state.customer_id : undefined,
      "created_at[gte]": state.created_at?.$gte,
      "created_at[lte]": state.created_at?.$lte,
      order: state.order,
      limit: LOG_PAGE_SIZE,
      offset: state.offset,
    }),
    [state]
  )

  const log = useLog(query)
  // A page past the last line (an offset from the address): the last page there is.
  const { settle } = url
  useEffect(() => {
    if (log.data && !log.isPlaceholderData && !log.data.log_entries.length && state.offset > 0) settle(log.data.count)
  }, [log.data, log.isPlaceholderData, state.offset, settle])
  // Asked once the list has answered: an admin who may not view the log gets one refusal, not two.
  const stats = useLogStats(30, log.isSuccess)

  const columns = useMemo(
    () => [
      columnHelper.accessor("created_at", {
        header: t("loginAsCustomer.log.date"),
        enableSorting: true,
        sortLabel: t("loginAsCustomer.log.date"),
        size: 170,
        // A button, so an entry also opens from the keyboard (the row itself takes only clicks).
        cell: ({ row, getValue }) => (
          <button
            type="button"
            className="focus-visible:shadow-borders-focus rounded-sm text-start outline-none"
            onClick={(event) => {
              event.stopPropagation()
              setSelected(row.original)
            }}
          >
            {formatDate(getValue(), i18n.language)}
          </button>
        ),
      }),
      columnHelper.accessor("action", {
        // Not "action": the DataTable takes a column of that id for its row
        // menu and squeezes it to an icon's width, cutting the labels.
        id: "log_action",
        header: t("loginAsCustomer.log.action"),
        size: 220,
        truncateTooltip: false,
        cell: ({ row }) => {
          const refusal = entryRefusalText(t, row.original)
          const restricted = entryRestrictedActionsText(t, row.original)
          return (
            // The table sizes columns by their content: this minimum keeps the column wide
            // enough for any one word, so labels wrap between words and none is cut.
            <div className="flex min-w-[11rem] flex-col items-start gap-y-1 whitespace-normal break-normal py-2">
              <span data-testid="lac-log-action">{entryActionText(t, row.original)}</span>
              {row.original.action === "store_action" && entryRefused(row.original) && (
                <StatusBadge color="red" data-testid="lac-log-refused">
                  {t("loginAsCustomer.log.refused")}
                </StatusBadge>
              )}
              {refusal && (
                <span className="text-ui-fg-error" data-testid="lac-log-refusal">
                  {refusal}
                </span>
              )}
              {restricted && (
                <span className="text-ui-fg-subtle" data-testid="lac-log-restricted">
                  {t("loginAsCustomer.log.fields.restrictedAction")}: {restricted}
                </span>
              )}
            </div>
          )
        },
      }),
      columnHelper.accessor("user_email", {
        header: t("loginAsCustomer.log.admin"),
        size: 210,
        cell: ({ row }) => <Clipped text={row.original.user_email ?? row.original.user_id ?? "—"} />,
      }),
      columnHelper.accessor("customer_email", {
        header: t("loginAsCustomer.log.customer"),
        size: 210,
        cell: ({ row }) => <Clipped text={row.original.customer_email ?? row.original.customer_id ?? "—"} />,
      }),
      columnHelper.display({
        id: "reason",
        header: t("loginAsCustomer.log.reason"),
        size: 210,
        cell: ({ row }) => <Clipped text={entryReason(row.original) ?? "—"} />,
      }),
      columnHelper.display({
        id: "mode",
        header: t("loginAsCustomer.log.mode"),
        size: 110,
        cell: ({ row }) => {
          const mode = entryMode(row.original)
          return mode ? t(`loginAsCustomer.log.modes.${mode}`) : "—"
        },
      }),
    ],
    [t, i18n.language]
  )

  const named = useCallback((more: Record<string, string>) => setPicked((known) => ({ ...known, ...more })), [])

  const filters = useMemo(() => {
    const actionOptions = LOG_ACTIONS.map((value) => ({ label: t(`loginAsCustomer.log.actions.${value}`), value }))
    const picker = (kind: "user" | "customer", id: "user_id" | "customer_id", label: string) =>
      filterHelper.accessor(id, {
        type: "custom",
        label,
        render: ({ value, onChange }: CustomFilterRender) => (
          <PersonPicker
            kind={kind}
            value={asList(value)}
            labels={labels}
            onChange={(ids, more) => {
              named(more)
              onChange(ids)
            }}
          />
        ),
        // Read by the filter's pill to name the chosen ones.
        options: (asList(filtering[id]) ?? []).map((value) => ({ value, label: labels[value] ?? value })),
      } as FilterProps)
    return [
      // The dashboard's multiselect nests a checkbox in a button: the same list, without.
      filterHelper.accessor("action", {
        type: "custom",
        label: t("loginAsCustomer.log.action"),
        render: ({ value, onChange }: CustomFilterRender) => (
          <div className="w-[250px]" data-testid="lac-picker-action">
            <OptionList
              label={t("loginAsCustomer.log.action")}
              options={actionOptions}
              chosen={asList(value) ?? []}
              onToggle={(option) => onChange(toggled(asList(value) ?? [], option.value))}
            />
          </div>
        ),
        options: actionOptions,
      } as FilterProps),
      picker("user", "user_id", t("loginAsCustomer.log.admin")),
      picker("customer", "customer_id", t("loginAsCustomer.log.customer")),
      filterHelper.accessor("created_at", {
        type: "date",
        label: t("loginAsCustomer.log.date"),
        format: "date",
        // The dashboard's own words for dates and the table's controls, in every language it ships.
        rangeOptionLabel: t("filters.date.custom"),
        rangeOptionStartLabel: t("filters.date.starting"),
        rangeOptionEndLabel: t("filters.date.ending"),
        options: [],
      }),
    ]
  }, [t, labels, filtering, named])

  const table = useDataTable({
    data: log.data?.log_entries ?? [],
    columns,
    filters,
    rowCount: log.data?.count ?? 0,
    getRowId: (row) => row.id,
    isLoading: log.isLoading,
    // The table hands over its row model; the entry is its `original`.
    onRowClick: (_event, row) => {
      const clicked = row as unknown as { original?: LogEntry }
      setSelected(clicked.original ?? (row as LogEntry))
    },
    pagination: { state: url.pagination, onPaginationChange: url.setPagination },
    search: { state: url.search, onSearchChange: url.setSearch, debounce: 300 },
    filtering: { state: filtering, onFilteringChange: url.setFiltering },
    sorting: { state: url.sorting, onSortingChange: url.setSorting },
  })

  if (log.error?.status === 403) {
    return (
      <Container className="px-6 py-4">
        <Heading>{t("loginAsCustomer.log.title")}</Heading>
        <Text size="small" className="text-ui-fg-subtle mt-2" data-testid="lac-log-forbidden">
          {t("loginAsCustomer.log.noPermission")}
        </Text>
      </Container>
    )
  }

  const oneCustomer = asList(filtering.customer_id)?.length === 1 ? asList(filtering.customer_id)![0] : null

  // Laid out as Medusa's list pages: the title, with the table's controls and
  // the page's actions on its right (never wrapped inside), then the chart.
  return (
    <div className="flex flex-col gap-y-3">
      <Container className="p-0">
        <DataTable instance={table}>
          <DataTable.Toolbar
            className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2"
            translations={{ clearAll: t("actions.clearAll") }}
          >
            {/* The title's side takes the room left, its status wrapping: the controls keep the title's row. */}
            <div className="min-w-0 flex-1 basis-64" data-testid="lac-log-title">
              <Heading>{t("loginAsCustomer.log.title")}</Heading>
              {/* Once the list has answered: an admin who may not view the log gets one refusal. */}
              {log.isSuccess && <IntegrityStatus />}
              {log.data?.count_estimated && (
                <Text size="small" className="text-ui-fg-subtle" data-testid="lac-count-estimated">
                  {/* The count picks the wording, the text shows it in the language's digits and separators. */}
                  {t("loginAsCustomer.log.countEstimated", {
                    count: log.data.count,
                    replace: { count: log.data.count.toLocaleString(localeTag(i18n.language)) },
                  })}
                </Text>
              )}
            </div>
            <div className="flex flex-wrap items-center justify-end gap-2" ref={toolbar} data-testid="lac-log-toolbar">
              <DataTable.FilterMenu tooltip={t("filters.filterLabel")} />
              <DataTable.SortingMenu tooltip={t("filters.sortLabel")} />
              <DataTable.Search
                placeholder={t("loginAsCustomer.log.search")}
                aria-label={t("loginAsCustomer.log.search")}
              />
              {oneCustomer && <EraseCustomerButton customerId={oneCustomer} />}
              <Button size="small" variant="secondary" className="shrink-0 whitespace-nowrap" asChild>
                <a href={logExportUrl(query)} download data-testid="lac-export">
                  {t("loginAsCustomer.log.export")}
                </a>
              </Button>
            </div>
          </DataTable.Toolbar>
          {stats.data && (
            <div className="border-t px-6 py-4" data-testid="lac-chart-section">
              <SessionsChart data={stats.data.sessions_per_day} />
            </div>
          )}
          {log.error && (
            <Text size="small" className="text-ui-fg-error px-6 py-2" role="alert" data-testid="lac-log-error">
              {errorMessage(t, log.error)}
            </Text>
          )}
          <DataTable.Table
            emptyState={{
              empty: { heading: t("loginAsCustomer.log.empty") },
              filtered: {
                custom: (
                  <div className="flex flex-col items-center gap-y-2" data-testid="lac-log-no-match">
                    <Text size="base" weight="plus">
                      {t("loginAsCustomer.log.noMatch")}
                    </Text>
                    <Text size="small" className="text-ui-fg-subtle">
                      {t("loginAsCustomer.log.noMatchHint")}
                    </Text>
                    <Button size="small" variant="secondary" onClick={url.clear}>
                      {t("loginAsCustomer.log.clearFilters")}
                    </Button>
                  </div>
                ),
              },
            }}
          />
          <DataTable.Pagination
            translations={{
              of: t("general.of"),
              results: t("general.results"),
              pages: t("general.pages"),
              prev: t("general.prev"),
              next: t("general.next"),
            }}
          />
        </DataTable>
      </Container>
      {selected && <LogEntryDrawer entry={selected} onClose={() => setSelected(null)} />}
    </div>
  )
}

/** The page's name in the top bar, as in the sidebar. */
const LogBreadcrumb = () => {
  const { t } = useTranslation()
  return <>{t("loginAsCustomer.log.title")}</>
}

export const handle = {
  breadcrumb: () => <LogBreadcrumb />,
}

export const config = defineRouteConfig({
  label: "loginAsCustomer.log.title",
  translationNs: "translation",
  icon: DocumentText,
})

export default LoginAsCustomerLogPage
