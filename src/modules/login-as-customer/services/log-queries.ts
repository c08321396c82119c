import type { Writable } from "stream"
import type { Context } from "@medusajs/framework/types"
import { InjectManager, MedusaContext } from "@medusajs/framework/utils"
import type { LogFilter } from "../../../types"
import {
  estimateLogRows,
  inIndexOrder,
  LOG_COUNT_EXACT_UP_TO,
  LogEntryRow,
  logWhere,
  searchCondition,
  SearchLookup,
} from "../utils/log-sql"
import { InternalService } from "../utils/internal-service"
import { boundedPage, LOG_COLUMNS } from "../utils/log-cells"
import { isRareText, lookupShare, rareSearchParts, searchSample, searchWords, textShare } from "../utils/log-search"
import { slots } from "../utils/slots"
import { managerOf, ModuleManager, plainly, withIndexes } from "../utils/sql"
import { copyCsvTo, CopyKnex, inlineParams } from "./log-csv-copy"
import { logExportSelect } from "./log-csv-sql"

/**
 * A text search the planner's sample doesn't show rare first reads the
 * newest this-many rows that match the other filters (one index walk,
 * whatever the text): its page when they hold it.
 */
const SEARCH_WINDOW = 2_000
/**
 * How many of the newest lines a text with more than LOG_COUNT_EXACT_UP_TO
 * matches may read for its page at least (walkPage_): up to as many as the
 * sample says it has matches, which is what reading them through an index costs.
 */
const WALK_WINDOW = 20_000
/** How much further than the shares put the page it must be within the lines a walk may read: a text is not spread evenly. */
const WALK_MARGIN = 1.25
/** A text the planner's sample shows in this many lines is not counted through an index: the count is an estimate anyway. */
const COMMON_TEXT_LINES = 5 * LOG_COUNT_EXACT_UP_TO
/** Text searches past the newest SEARCH_WINDOW lines, and pages past DEEP_OFFSET, running at once in a process. */
const SEARCH_SLOTS = 2
/** A page past this many lines reads every line before it (a second and more at a million lines). */
const DEEP_OFFSET = 10_000
/** Searches waiting for a slot in a process: one more is refused (SlotsFull), to be asked again. */
export const SEARCH_QUEUE = 20
/** The slots of searches past the newest lines and of deep pages. */
export const searchSlots = slots(SEARCH_SLOTS, SEARCH_QUEUE)

/** A page of the list; `signal` aborts when its requester gave up (the search then leaves the queue, or stops between statements). */
type Page = { limit: number; offset: number; ascending?: boolean; signal?: AbortSignal }
type Direction = "asc" | "desc"

/** Reads of the log: the admin list with its count, the CSV export, the daily chart. */
export class LogQueryService extends InternalService {
  /**
   * A page of the log and how many rows match the filter: exact up to
   * LOG_COUNT_EXACT_UP_TO matches (counting stops there), past that the
   * planner's estimate (never less than the rows known to exist) with
   * `estimated: true`. An exact `count(*)` over a million rows would cost far
   * more than the page itself.
   *
   * A text the planner's sample shows rare goes to an index first (its
   * words, or its trigrams), which finds rare texts fast. Any other reads
   * the newest SEARCH_WINDOW rows matching the other filters first: the
   * answer when they are all there is; else it is counted up to
   * LOG_COUNT_EXACT_UP_TO + 1 through the text's index, or among the lines
   * the other filters keep when those are fewer (unless there is no other
   * filter and the sample shows it in COMMON_TEXT_LINES or more), and the page
   * is the window's when it holds it. Past that the count is the text's share (of
   * the log in the sample; with another filter, of the newest and oldest lines
   * it keeps) times the lines it keeps, the same on every page; the page is
   * then read from the newest lines, down to it, when the shares put it
   * within as many lines as the text's estimated matches (WALK_WINDOW at
   * least), else through the index.
   */
  @InjectManager()
  async listLogEntriesCounted(
    filter: LogFilter,
    page: Page,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<{ rows: LogEntryRow[]; count: number; estimated: boolean }> {
    const manager = managerOf(sharedContext)
    const direction = page.ascending ? "asc" : "desc"
    if (filter.q) {
      const sample = await searchSample(manager)
      // The text's whole words go to the words index; a text without one
      // to the trigram index, by its rare parts.
      const words = searchWords(filter.q, sample)
      const lookup: SearchLookup = words.length ? { words } : { rareParts: rareSearchParts(filter.q, sample) }
      // A text the planner's sample shows rare is in few lines: the index
      // finds them at once, without reading the newest rows first (unless
      // names widen the search to whole admins or customers).
      const rareFirst =
        (words.length > 0 || lookup.rareParts!.length > 0) &&
        isRareText(filter.q, sample) &&
        !filter.q_user_ids?.length &&
        !filter.q_customer_ids?.length
      // The planner estimates the parts from the same sample and reads the
      // trigram index unasked. A word's lines it can't estimate (0.5 % of
      // the log, 50 000 lines at ten million): it would start parallel
      // workers to read them, slower on two cores than one process reading
      // the few lines there are, so words are read with the workers off.
      const indexOnly = words.length > 0
      // With another filter, the text is counted among the lines it keeps (through its index, the
      // text checked on each) when those are no more than the lines the text's index would return.
      const { where, params } = logWhere(filter, { search: false })
      const narrowed = where.length > 1 // a condition besides "deleted_at" is null
      const kept = narrowed ? await estimateLogRows(manager, where, params) : null
      const lines = narrowed ? await estimateLogRows(manager, where.slice(0, 1), []) : 0
      const sampleShare = textShare(filter.q, sample)
      const among = kept !== null && kept <= Math.max(lookupShare(filter.q, lookup, sample), sampleShare) * lines
      const byText: [SearchLookup, boolean] = among ? [{ scan: true }, true] : [lookup, indexOnly]
      const first = rareFirst ? await this.readRare_(manager, filter, direction, page, ...byText) : null
      if (first) {
        return { rows: first.rows, count: first.count, estimated: false }
      }
      const recent = await this.searchRecent_(manager, filter, direction, page)
      if (recent.scanned < SEARCH_WINDOW) {
        return { rows: recent.rows, count: recent.matched, estimated: false }
      }
      // Past the newest lines a search may read many (to count, walk or sort
      // through an index): SEARCH_SLOTS at once in a process, more wait their
      // turn holding no connection, leaving the store its connections and cores.
      const release = await searchSlots(page.signal)
      try {
        // How many lines hold the text: the lines (the planner's estimate) times
        // the share of the log the sample shows holding it, the same on every
        // page and order (the newest lines may all hold a text no other does).
        let expected = (kept ?? (await estimateLogRows(manager, where, params))) * sampleShare
        const estimate = (page_: { rows: LogEntryRow[] }) => ({
          rows: page_.rows,
          count: Math.max(Math.round(expected), LOG_COUNT_EXACT_UP_TO + 1),
          estimated: true,
        })
        const holds = recent.matched >= page.offset + page.limit
        // Counted up to LOG_COUNT_EXACT_UP_TO + 1, unless the sample shows the text far more often
        // than that in the whole log (the index would read most of it for an estimate anyway);
        // always with another filter, whose lines may hold it in none.
        if (narrowed || expected < COMMON_TEXT_LINES) {
          const rare = rareFirst ? null : await this.readRare_(manager, filter, direction, page, ...byText)
          if (rare) {
            return { rows: holds ? recent.rows : rare.rows, count: rare.count, estimated: false }
          }
        }
        if (narrowed) {
          // More than LOG_COUNT_EXACT_UP_TO of the filter's lines hold the text: its share among
          // them, not the log's (a text may go with its filter: "denied" with login_denied), read
          // at both ends of them (the newest and the oldest SEARCH_WINDOW): the same in either order;
          // never more than the sample shows in the whole log (a text in the newest lines only).
          const other = await this.searchRecent_(manager, filter, direction === "asc" ? "desc" : "asc", { limit: 0, offset: 0 })
          const atEnds = kept! * ((recent.matched + other.matched) / (recent.scanned + other.scanned))
          expected = sampleShare > 0 ? Math.min(atEnds, lines * sampleShare) : atEnds
        }
        if (holds) {
          return estimate(recent)
        }
        // The page is another statement, as long again: not for a requester who gave up.
        page.signal?.throwIfAborted()
        // More than LOG_COUNT_EXACT_UP_TO matches. Through an index, the page
        // means reading every match to sort them; the newest lines read in
        // order stop at the page. They are read when the shares put the page
        // within as many lines as the sample says the text has matches
        // (WALK_WINDOW at least): at worst the walk reads about what the index
        // would, then the index answers (the newest lines' share alone would
        // take a text they all hold for one in the whole log).
        const share = Math.max(recent.matched / recent.scanned, sampleShare)
        const walk = share > 0 ? Math.ceil(((page.offset + page.limit) / share) * WALK_MARGIN) : Infinity
        const window = Math.max(WALK_WINDOW, Math.ceil(expected))
        if (walk <= window) {
          const rows = await this.walkPage_(manager, filter, direction, page, window)
          // Its count too is the estimate, as on every other page.
          if (rows.length === page.limit) {
            return estimate({ rows })
          }
        }
        return estimate({ rows: await this.pageRows_(manager, filter, direction, page, among) })
      } finally {
        release()
      }
    }
    const release = page.offset > DEEP_OFFSET ? await searchSlots(page.signal) : null
    try {
      return { rows: await this.pageRows_(manager, filter, direction, page), ...(await this.countLogEntries(filter, sharedContext)) }
    } finally {
      release?.()
    }
  }

  /** The page of a filter, in the list's order; `among` the lines the other filters keep, read through their index. */
  protected async pageRows_(manager: ModuleManager, filter: LogFilter, direction: Direction, page: Page, among = false): Promise<LogEntryRow[]> {
    const { where, params } = logWhere(filter, among ? { scan: true } : {})
    return await (among ? withIndexes : plainly)<LogEntryRow>(
      manager,
      boundedPage(`"login_as_customer_log_entry"`, where.join(" and "), direction),
      [...params, page.limit, page.offset]
    )
  }

  /**
   * How many log rows match the filter: exact up to LOG_COUNT_EXACT_UP_TO
   * matches (counting stops there), past that the planner's estimate, never
   * less than the rows counted, with `estimated: true`.
   */
  @InjectManager()
  async countLogEntries(
    filter: LogFilter,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<{ count: number; estimated: boolean }> {
    const manager = managerOf(sharedContext)
    const { where, params } = logWhere(filter)
    const [row] = await manager.execute<Array<{ count: number }>>(
      `select count(*)::int as "count"
         from (select 1 from "login_as_customer_log_entry" where ${where.join(" and ")} limit ?) "capped"`,
      [...params, LOG_COUNT_EXACT_UP_TO + 1]
    )
    const counted = row?.count ?? 0
    if (counted <= LOG_COUNT_EXACT_UP_TO) {
      return { count: counted, estimated: false }
    }
    return { count: Math.max(await estimateLogRows(manager, where, params), counted), estimated: true }
  }

  /**
   * The CSV export: every row matching the filter, in the list's order, as
   * CSV lines (CRLF) written into `destination` (not ended) by one
   * `COPY … TO STDOUT (FORMAT binary)` on a connection of its own: one
   * statement, one snapshot, PostgreSQL sending the cells' texts
   * (LOG_CSV_COLUMNS_SQL) and waiting for `destination` to drain, the server
   * writing the lines (copyCsvTo). COPY takes no bind parameters:
   * the filter's values are written in as escaped literals. When
   * `destination` closes first, the COPY is cancelled. Returns the rows
   * written, or null when cut short. Where one index range gives them
   * (inIndexOrder), the rows come through it in order, never from a sort of
   * them all (copySettings).
   */
  @InjectManager()
  async exportLogCsv(
    filter: LogFilter,
    options: { ascending?: boolean; signal?: AbortSignal },
    destination: Writable,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<number | null> {
    const direction = options.ascending ? "asc" : "desc"
    const { where, params } = logWhere(filter)
    const knex = managerOf(sharedContext).getKnex() as unknown as CopyKnex
    return await copyCsvTo(
      knex,
      "login_as_customer log export",
      (escapeLiteral) => logExportSelect(inlineParams(where.join(" and "), params, escapeLiteral), direction),
      destination,
      options.signal,
      { inOrder: inIndexOrder(filter) }
    )
  }

  /** Sessions started per day (UTC) over the last `days` days, oldest first, zeros included. */
  @InjectManager()
  async countSessionsPerDay(
    days: number,
    @MedusaContext() sharedContext: Context<ModuleManager> = {}
  ): Promise<Array<{ date: string; sessions: number }>> {
    const rows = await managerOf(sharedContext).execute<Array<{ date: string; sessions: number }>>(
      `select to_char(("created_at" at time zone 'UTC')::date, 'YYYY-MM-DD') as "date", count(*)::int as "sessions"
         from "login_as_customer_log_entry"
        where "action" = 'session_started' and "deleted_at" is null
          and "created_at" >= (now() at time zone 'UTC')::date - make_interval(days => ?)
        group by 1`,
      [days - 1]
    )
    const byDate = new Map(rows.map((row) => [row.date, row.sessions]))
    const today = new Date()
    return Array.from({ length: days }, (_, i) => {
      const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1 - i)))
      const date = day.toISOString().slice(0, 10)
      return { date, sessions: byDate.get(date) ?? 0 }
    })
  }

  /**
   * A text search's page from the newest SEARCH_WINDOW rows matching the
   * other filters, with how many were read and how many hold the text: the
   * answer when the window holds the whole page (or is all there is).
   * Common words are found at once this way, where the trigram index would
   * have to visit most of the table.
   */
  protected async searchRecent_(
    manager: ModuleManager,
    filter: LogFilter,
    direction: Direction,
    page: Page
  ): Promise<{ rows: LogEntryRow[]; scanned: number; matched: number }> {
    const { where, params } = logWhere(filter, { search: false })
    const search = searchCondition(filter)
    // Read in order and stopped at SEARCH_WINDOW (no workers).
    const found = await withIndexes<LogEntryRow & { scanned: number; matched: number }>(
      manager,
      `with "recent" as (
         select * from "login_as_customer_log_entry"
          where ${where.join(" and ")}
          order by "created_at" ${direction}, "id" ${direction}
          limit ?
       ), "matched" as (
         select * from "recent" where ${search.sql}
       )
       select (select count(*) from "recent")::int as "scanned", (select count(*) from "matched")::int as "matched",
              "page".*
         from (select 1) "one"
         left join lateral (
           select ${LOG_COLUMNS} from "matched"
            order by "created_at" ${direction}, "id" ${direction}
            limit ? offset ?
         ) "page" on true`,
      [...params, SEARCH_WINDOW, ...search.params, page.limit, page.offset]
    )
    const { scanned, matched } = found[0] ?? { scanned: 0, matched: 0 }
    return {
      rows: found.filter((row) => row.id != null).map(({ scanned: _s, matched: _m, ...row }) => row),
      scanned,
      matched,
    }
  }

  /**
   * A text search's page from the newest `window` lines matching the other
   * filters, read in order and checked one by one: the read stops at the
   * page's last row, so a common text's deep page reads the lines down to
   * it, not every match (fewer rows than the page's limit when the window
   * ends first, or the matches do).
   */
  protected async walkPage_(
    manager: ModuleManager,
    filter: LogFilter,
    direction: Direction,
    page: Page,
    window: number
  ): Promise<LogEntryRow[]> {
    const { where, params } = logWhere(filter, { search: false })
    const search = searchCondition(filter)
    // The window's limit keeps the text's indexes out: the lines come in order, as they are checked.
    return await withIndexes<LogEntryRow>(
      manager,
      boundedPage(
        `(select * from "login_as_customer_log_entry"
           where ${where.join(" and ")}
           order by "created_at" ${direction}, "id" ${direction}
           limit ?) "recent"`,
        search.sql,
        direction
      ),
      [...params, window, ...search.params, page.limit, page.offset]
    )
  }

  /**
   * A rare text's matches through an index, at most
   * LOG_COUNT_EXACT_UP_TO + 1 of them: their count and the page, or null
   * when there are more. The words index looks up the text's whole `words`
   * when it has some (searchWords); else the trigram index its `rareParts`
   * (rareSearchParts), or the whole text. With `indexOnly`, sequential and
   * parallel scans are off for it: the planner can't tell a rare word from
   * a common one, and a scan of the whole table, or starting workers, costs
   * more than the index ever does (withIndexes). The matches are kept
   * narrow (where each row is, its time and id) to be counted and sorted,
   * and only the page's rows are read whole, by where they are: at ten
   * million lines, 2 000 matches kept whole cost a third of the statement.
   */
  protected async readRare_(
    manager: ModuleManager,
    filter: LogFilter,
    direction: Direction,
    page: Page,
    lookup: SearchLookup,
    indexOnly = false
  ): Promise<{ rows: LogEntryRow[]; count: number } | null> {
    const { where, params } = logWhere(filter, lookup)
    const found = await (indexOnly ? withIndexes : plainly)<LogEntryRow & { total: number }>(
      manager,
      `with "matched" as materialized (
         select "ctid" as "at", "created_at", "id" from "login_as_customer_log_entry" where ${where.join(" and ")} limit ?
       ), "page" as (
         select "at" from "matched" order by "created_at" ${direction}, "id" ${direction} limit ? offset ?
       )
       select (select count(*) from "matched")::int as "total", "row".*
         from (select 1) "one"
         left join lateral (
           select ${LOG_COLUMNS} from "login_as_customer_log_entry"
            where "ctid" = any(array(select "at" from "page"))
            order by "created_at" ${direction}, "id" ${direction}
         ) "row" on true`,
      [...params, LOG_COUNT_EXACT_UP_TO + 1, page.limit, page.offset]
    )
    const total = found[0]?.total ?? 0
    if (total > LOG_COUNT_EXACT_UP_TO) {
      return null
    }
    return { rows: found.filter((row) => row.id != null).map(({ total: _total, ...row }) => row), count: total }
  }
}
