import { defineRouteConfig } from "@medusajs/admin-sdk"
import { DocumentText } from "@medusajs/icons"
import {
  Button,
  Container,
  createDataTableColumnHelper,
  createDataTableFilterHelper,
  DataTable,
  DataTableFilteringState,
  DataTablePaginationState,
  DataTableSortingState,
  Heading,
  Text,
  useDataTable,
} from "@medusajs/ui"
import { useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { LogEntryDrawer } from "../../components/log/log-entry-drawer"
import { SessionsChart } from "../../components/log/sessions-chart"
import {
  logExportUrl,
  LogQuery,
  useAdminUsers,
  useLog,
  useLogStats,
} from "../../hooks/api/login-as-customer"
import type { LogEntry } from "../../lib/types"
import { LOG_ACTIONS } from "../../../types"

const PAGE_SIZE = 20

const columnHelper = createDataTableColumnHelper<LogEntry>()
const filterHelper = createDataTableFilterHelper<LogEntry>()

/** The Login as Customer log: filter, sort, page through, open one entry, export CSV. */
const LoginAsCustomerLogPage = () => {
  const { t, i18n } = useTranslation()
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE })
  const [search, setSearch] = useState("")
  const [filtering, setFiltering] = useState<DataTableFilteringState>({})
  const [sorting, setSorting] = useState<DataTableSortingState | null>({ id: "created_at", desc: true })
  const [selected, setSelected] = useState<LogEntry | null>(null)
  const users = useAdminUsers()

  const query = useMemo<LogQuery>(() => {
    const date = filtering.created_at as { $gte?: string; $lte?: string } | undefined
    return {
      q: search || undefined,
      action: (filtering.action as string | undefined) || undefined,
      user_id: (filtering.user_id as string | undefined) || undefined,
      customer_id: (filtering.customer_id as string | undefined) || undefined,
      "created_at[gte]": date?.$gte,
      "created_at[lte]": date?.$lte,
      order: sorting && !sorting.desc ? "created_at" : "-created_at",
      limit: pagination.pageSize,
      offset: pagination.pageIndex * pagination.pageSize,
    }
  }, [search, filtering, sorting, pagination])

  const log = useLog(query)
  const stats = useLogStats(30, !log.error)

  const columns = useMemo(
    () => [
      columnHelper.accessor("created_at", {
        header: t("loginAsCustomer.log.date"),
        enableSorting: true,
        sortLabel: t("loginAsCustomer.log.date"),
        cell: ({ getValue }) => new Date(getValue()).toLocaleString(i18n.language),
      }),
      columnHelper.accessor("action", {
        header: t("loginAsCustomer.log.action"),
        cell: ({ getValue }) => t(`loginAsCustomer.log.actions.${getValue()}`, { defaultValue: getValue() }),
      }),
      columnHelper.accessor("user_email", {
        header: t("loginAsCustomer.log.admin"),
        cell: ({ row }) => row.original.user_email ?? row.original.user_id ?? "—",
      }),
      columnHelper.accessor("customer_email", {
        header: t("loginAsCustomer.log.customer"),
        cell: ({ row }) => row.original.customer_email ?? row.original.customer_id ?? "—",
      }),
      columnHelper.accessor("session_id", {
        header: t("loginAsCustomer.log.session"),
        cell: ({ getValue }) => getValue() ?? "—",
      }),
    ],
    [t, i18n.language]
  )

  const filters = useMemo(
    () => [
      filterHelper.accessor("action", {
        type: "select",
        label: t("loginAsCustomer.log.action"),
        options: LOG_ACTIONS.map((value) => ({ label: t(`loginAsCustomer.log.actions.${value}`), value })),
      }),
      filterHelper.accessor("user_id", {
        type: "select",
        label: t("loginAsCustomer.log.admin"),
        options: (users.data?.users ?? []).map((user) => ({ label: user.email, value: user.id })),
      }),
      filterHelper.accessor("customer_id", {
        type: "string",
        label: t("loginAsCustomer.log.customer"),
        placeholder: "cus_…",
      }),
      filterHelper.accessor("created_at", {
        type: "date",
        label: t("loginAsCustomer.log.date"),
        format: "date",
        rangeOptionStartLabel: t("loginAsCustomer.log.from"),
        rangeOptionEndLabel: t("loginAsCustomer.log.to"),
        options: [],
      }),
    ],
    [t, users.data]
  )

  const table = useDataTable({
    data: log.data?.log_entries ?? [],
    columns,
    filters,
    rowCount: log.data?.count ?? 0,
    getRowId: (row) => row.id,
    isLoading: log.isLoading,
    onRowClick: (_event, row) => setSelected(row),
    pagination: { state: pagination, onPaginationChange: setPagination },
    search: { state: search, onSearchChange: setSearch, debounce: 300 },
    filtering: { state: filtering, onFilteringChange: setFiltering },
    sorting: { state: sorting, onSortingChange: setSorting },
  })

  if (log.error?.status === 403) {
    return (
      <Container className="px-6 py-4">
        <Heading>{t("loginAsCustomer.log.title")}</Heading>
        <Text size="small" className="text-ui-fg-subtle mt-2">
          {t("loginAsCustomer.reasons.permission_denied")}
        </Text>
      </Container>
    )
  }

  return (
    <div className="flex flex-col gap-y-3">
      {stats.data && (
        <Container className="px-6 py-4">
          <SessionsChart data={stats.data.sessions_per_day} />
        </Container>
      )}
      <Container className="p-0">
        <DataTable instance={table}>
          <DataTable.Toolbar className="flex flex-col items-start justify-between gap-2 md:flex-row md:items-center">
            <div>
              <Heading>{t("loginAsCustomer.log.title")}</Heading>
              {log.data?.count_estimated && (
                <Text size="small" className="text-ui-fg-subtle" data-testid="lac-count-estimated">
                  {t("loginAsCustomer.log.countEstimated", { count: log.data.count.toLocaleString() })}
                </Text>
              )}
            </div>
            <div className="flex items-center gap-x-2">
              <DataTable.FilterMenu tooltip={t("loginAsCustomer.log.action")} />
              <DataTable.SortingMenu tooltip={t("loginAsCustomer.log.date")} />
              <DataTable.Search placeholder={t("loginAsCustomer.log.search")} />
              <Button size="small" variant="secondary" asChild>
                <a href={logExportUrl(query)} download data-testid="lac-export">
                  {t("loginAsCustomer.log.export")}
                </a>
              </Button>
            </div>
          </DataTable.Toolbar>
          <DataTable.Table
            emptyState={{
              empty: { heading: t("loginAsCustomer.log.empty") },
              filtered: { heading: t("loginAsCustomer.log.empty") },
            }}
          />
          <DataTable.Pagination />
        </DataTable>
      </Container>
      {selected && <LogEntryDrawer entry={selected} onClose={() => setSelected(null)} />}
    </div>
  )
}

export const config = defineRouteConfig({
  label: "loginAsCustomer.log.title",
  translationNs: "translation",
  icon: DocumentText,
})

export default LoginAsCustomerLogPage
