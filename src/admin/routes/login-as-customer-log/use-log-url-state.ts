import type {
  DataTableFilteringState,
  DataTablePaginationState,
  DataTableSortingState,
} from "@medusajs/ui"
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react"
import { useSearchParams } from "react-router-dom"
import {
  canonicalLogUrl,
  LOG_MAX_OFFSET,
  cutSearch,
  LOG_PAGE_SIZE,
  LogUrlState,
  readLogUrl,
  toDateRange,
  writeLogUrl,
} from "./log-url-params"

/** How a change enters the browser's history: a step of its own, in place, or as the change it came with. */
type Step = "push" | "replace" | "either"

/** Two changes made at once enter the history as one: a step if either is one. */
const merged = (first: Step | null, then: Step): Step =>
  first === null || first === "either" ? then : then === "either" ? first : first === "push" || then === "push" ? "push" : "replace"

const listOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []

const isEmpty = (value: unknown) =>
  value === undefined ||
  value === null ||
  value === "" ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === "object" && !Array.isArray(value) && !Object.values(value as object).some(Boolean))

/**
 * The log page's filters, search, sort and page, kept in the page's address
 * as Medusa's own list pages keep theirs (`q`, `order`, `offset`, a key per
 * filter): a reload, Back, or a link sent to a colleague shows the same
 * lines. Filters, sort and page are steps in the history; typing a search
 * replaces the address in place. What the address holds is read through
 * readLogUrl (invalid values left out), and the address is then rewritten to
 * say only what is shown.
 *
 * The page shows its own state at once and writes it to the address; an
 * address it did not write (Back, Forward, a link) replaces that state.
 */
export function useLogUrlState() {
  const [params, setParams] = useSearchParams()
  const [state, setState] = useState(() => readLogUrl(params))
  // Filters added from the menu that have no value yet: on the page, not in the address.
  const [blank, setBlank] = useState<string[]>([])

  // The state shown, ahead of the address until the router has moved (the
  // table sends two changes at once: a filter and "back to page 1").
  const latest = useRef(state)
  const seen = useRef(params.toString())
  // Addresses the page asked for and the router has not shown yet.
  const written = useRef(new Set<string>())
  const pending = useRef<Step | null>(null)
  const paramsRef = useRef(params)
  const setParamsRef = useRef(setParams)

  const write = useCallback((next: URLSearchParams, replace: boolean) => {
    if (next.toString() === paramsRef.current.toString()) return
    written.current.add(next.toString())
    setParamsRef.current(next, { replace })
  }, [])

  useLayoutEffect(() => {
    paramsRef.current = params
    setParamsRef.current = setParams
    const key = params.toString()
    if (key === seen.current) return
    seen.current = key
    if (written.current.delete(key)) return
    // Not the page's own: Back, Forward, or a link to this page.
    written.current.clear()
    latest.current = readLogUrl(params)
    setState(latest.current)
    setBlank([])
  }, [params, setParams])

  const update = useCallback(
    (change: Partial<LogUrlState>, step: Step) => {
      // As the address will hold it (ids, dates and numbers checked as when read from it).
      latest.current = readLogUrl(writeLogUrl(new URLSearchParams(), { ...latest.current, ...change }))
      setState(latest.current)
      const first = pending.current === null
      pending.current = merged(pending.current, step)
      if (!first) return
      queueMicrotask(() => {
        const how = pending.current
        pending.current = null
        write(writeLogUrl(paramsRef.current, latest.current), how === "replace")
      })
    },
    [write]
  )

  // An address with values left out, or brought into range, is rewritten in place (once, on arrival).
  useEffect(() => {
    if (pending.current) return
    const canonical = canonicalLogUrl(params)
    if (canonical.toString() !== params.toString()) write(canonical, true)
  }, [params, write])

  const filtering = useMemo<DataTableFilteringState>(() => {
    const shown: DataTableFilteringState = Object.fromEntries(blank.map((id) => [id, null]))
    for (const key of ["action", "user_id", "customer_id"] as const) {
      if (state[key].length) shown[key] = state[key]
    }
    if (state.created_at) shown.created_at = state.created_at
    return shown
  }, [state, blank])

  const setFiltering = useCallback(
    (value: DataTableFilteringState) => {
      setBlank(Object.keys(value).filter((id) => isEmpty(value[id])))
      update(
        {
          action: listOf(value.action),
          user_id: listOf(value.user_id),
          customer_id: listOf(value.customer_id),
          created_at: toDateRange(value.created_at),
        },
        "push"
      )
    },
    [update]
  )

  const sorting = useMemo<DataTableSortingState>(() => ({ id: "created_at", desc: state.order !== "created_at" }), [state.order])
  const setSorting = useCallback(
    (value: DataTableSortingState | null) => update({ order: value && !value.desc ? "created_at" : "-created_at" }, "push"),
    [update]
  )

  const pagination = useMemo<DataTablePaginationState>(
    () => ({ pageIndex: state.offset / LOG_PAGE_SIZE, pageSize: LOG_PAGE_SIZE }),
    [state.offset]
  )
  const setPagination = useCallback(
    (value: DataTablePaginationState) => {
      const offset = Math.min(Math.max(0, value.pageIndex) * LOG_PAGE_SIZE, LOG_MAX_OFFSET)
      // Back to the first page comes with a new filter, sort or search: it takes that change's step.
      update({ offset }, offset === 0 ? "either" : "push")
    },
    [update]
  )

  const setSearch = useCallback((value: string) => update({ q: cutSearch(value) }, "replace"), [update])

  const clear = useCallback(() => {
    setBlank([])
    update({ q: "", action: [], user_id: [], customer_id: [], created_at: null, offset: 0 }, "push")
  }, [update])

  /** Past the last line (a link older than the lines it named, an offset too high): the last page there is. */
  const settle = useCallback(
    (count: number) => {
      const last = count > 0 ? Math.floor((count - 1) / LOG_PAGE_SIZE) * LOG_PAGE_SIZE : 0
      if (last < latest.current.offset) update({ offset: last }, "replace")
    },
    [update]
  )

  return { state, filtering, setFiltering, sorting, setSorting, pagination, setPagination, search: state.q, setSearch, clear, settle }
}
