import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { csvRow } from "../../../src/lib/csv"
import { parseCsv } from "../../helpers/csv"
import { createAdmin } from "../../helpers/seed"
import { cutNote, LOG_CELL_KEPT_CHARS, LOG_CELL_MAX_BYTES, LONG_NUMBERS_NOTE } from "../../../src/modules/login-as-customer/utils/log-cells"
import { LOG_PAGE_CUT_CHARS, LOG_PAGE_MAX_JSON_BYTES } from "../../../src/modules/login-as-customer/utils/log-page-budget"

const MB = 1024 * 1024

/** A log line's cells of tens of megabytes, which only SQL can write (the routes bound every field). */
export default function cellsSuite({ api, getContainer }: SuiteContext) {
  const knex = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const text = (res: { data: unknown }) => res.data as string
  const asText = { responseType: "text" as const, transformResponse: (x: unknown) => x }

  it("cuts a cell of tens of megabytes in the list and the export alike, and leaves the others whole", async () => {
    const admin = await createAdmin(api, getContainer())
    const email = "ab.c@".repeat((12 * MB) / 4) // about 15 MB, words short enough for the search index
    const wide = "é".repeat(LOG_CELL_MAX_BYTES) // 32 767 characters, 65 534 bytes
    const reason = "r".repeat(40_000)
    const justFits = "k".repeat(LOG_CELL_MAX_BYTES)
    await knex().raw(
      `insert into login_as_customer_log_entry (id, event_id, action, actor_type, user_id, user_email, customer_email, session_id, details)
       values ('lacl_huge', 'lacev_huge', 'store_action', 'user', 'user_huge', ?, ?, 'lacs_huge', ?::jsonb),
              ('lacl_fits', 'lacev_fits', 'store_action', 'user', 'user_huge', ?, null, null, ?::jsonb),
              ('lacl_small', 'lacev_small', 'store_action', 'user', 'user_huge', 'a@example.com', null, null, ?::jsonb)`,
      [
        email,
        wide,
        JSON.stringify({ reason, mode: "full", blob: "y".repeat(30 * MB) }),
        justFits,
        // Stored compressed in over 2 000 bytes, its text just under the bound.
        JSON.stringify({ list: Array.from({ length: 2_000 }, (_, i) => `${i * 7919}`) }),
        JSON.stringify({ reason: "ticket 7", mode: "read_only" }),
      ]
    )
    const list = await api.get("/admin/login-as-customer/log?user_id=user_huge&limit=10", admin.headers)
    expect(list.status).toBe(200)
    expect(JSON.stringify(list.data).length).toBeLessThan(200_000)
    const byId = Object.fromEntries(list.data.log_entries.map((entry: { id: string }) => [entry.id, entry]))

    const huge = byId.lacl_huge
    expect(huge.user_email).toBe(email.slice(0, LOG_CELL_KEPT_CHARS) + cutNote(email.length))
    expect(huge.customer_email).toBe(wide.slice(0, LOG_CELL_KEPT_CHARS) + cutNote(2 * LOG_CELL_MAX_BYTES))
    expect(huge.session_id).toBe("lacs_huge")
    const detailsText = (
      await knex().raw(`select octet_length(details::text) as "bytes", left(details::text, ${LOG_CELL_KEPT_CHARS}) as "start"
                         from login_as_customer_log_entry where id = 'lacl_huge'`)
    ).rows[0]
    expect(detailsText.bytes).toBeGreaterThan(30 * MB)
    expect(huge.details).toEqual({
      cut: { bytes: detailsText.bytes, start: detailsText.start },
      reason: reason.slice(0, LOG_CELL_KEPT_CHARS) + cutNote(reason.length),
      mode: "full",
    })
    // Under the bound, whole: a text of exactly the bound, a compressed details just under it, a small line.
    expect(byId.lacl_fits.user_email).toBe(justFits)
    expect(byId.lacl_fits.details.list).toHaveLength(2_000)
    expect(byId.lacl_small.details).toEqual({ reason: "ticket 7", mode: "read_only" })

    const exported = await api.get("/admin/login-as-customer/log/export?user_id=user_huge", { ...admin.headers, ...asText })
    expect(exported.status).toBe(200)
    expect(text(exported).length).toBeLessThan(300_000)
    const [header, ...rows] = parseCsv(text(exported))
    expect(rows).toHaveLength(3)
    const detailsAt = header.indexOf("details")
    list.data.log_entries.forEach((entry: Record<string, unknown>, i: number) => {
      const expected = parseCsv(csvRow(header.map((column) => (column === "reason" || column === "mode" ? (entry.details as any)?.[column] : entry[column]))))[0]
      const { [detailsAt]: details, ...cells } = rows[i]
      const { [detailsAt]: expectedDetails, ...expectedCells } = expected
      expect(cells).toEqual(expectedCells)
      expect(JSON.parse(details)).toEqual(JSON.parse(expectedDetails))
    })
    const exportedHuge = rows.find((row) => row[header.indexOf("id")] === "lacl_huge")!
    expect(exportedHuge[header.indexOf("reason")]).toBe(reason.slice(0, LOG_CELL_KEPT_CHARS) + cutNote(reason.length))

    // The log keeps the whole line: its text search still finds it, and its digest covers all of it.
    const found = await api.get("/admin/login-as-customer/log?q=ab.c%40ab&limit=5", admin.headers)
    expect(found.data.log_entries.map((entry: { id: string }) => entry.id)).toEqual(["lacl_huge"])
    const stored = (await knex().raw(`select octet_length(user_email) as "bytes" from login_as_customer_log_entry where id = 'lacl_huge'`)).rows[0]
    expect(stored.bytes).toBe(email.length)
  })

  it("measures details by their text, not their stored size, and cuts in the list details nested past 32 levels", async () => {
    const admin = await createAdmin(api, getContainer())
    // 100 numbers of 131 072 digits: about 1.6 kB stored, 13 MB as text.
    await knex().raw(
      `insert into login_as_customer_log_entry (id, event_id, action, actor_type, user_id, details)
       select 'lacl_digits', 'lacev_digits', 'settings_updated', 'system', 'user_odd',
              jsonb_build_object('reason', 'rv', 'n', jsonb_agg('1e131071'::jsonb)) from generate_series(1, 100)
       union all
       select 'lacl_deep', 'lacev_deep', 'settings_updated', 'system', 'user_odd',
              ('{"reason": "deep", "x": ' || repeat('[', 6000) || repeat(']', 6000) || '}')::jsonb
       union all
       select 'lacl_33', 'lacev_33', 'settings_updated', 'system', 'user_odd',
              ('{"x": ' || repeat('[', 33) || repeat(']', 33) || '}')::jsonb
       union all
       select 'lacl_32', 'lacev_32', 'settings_updated', 'system', 'user_odd',
              ('{"x": ' || repeat('[', 32) || repeat(']', 32) || '}')::jsonb`
    )
    const texts = Object.fromEntries(
      (
        await knex().raw(`select id, details::text as "text", octet_length(details::text) as "bytes", pg_column_size(details) as "stored"
                            from login_as_customer_log_entry where user_id = 'user_odd'`)
      ).rows.map((row: { id: string }) => [row.id, row])
    )
    expect(texts.lacl_digits.stored).toBeLessThan(2_000)
    expect(texts.lacl_digits.bytes).toBeGreaterThan(13_000_000)
    const list = await api.get("/admin/login-as-customer/log?user_id=user_odd", admin.headers)
    expect(list.status).toBe(200)
    expect(JSON.stringify(list.data).length).toBeLessThan(100_000)
    const byId = Object.fromEntries(list.data.log_entries.map((entry: { id: string }) => [entry.id, entry]))
    const cut = (id: string) => ({ bytes: texts[id].bytes, start: texts[id].text.slice(0, LOG_CELL_KEPT_CHARS) })
    // Its numbers' text is long: cut by its stored size, its text never made.
    expect(byId.lacl_digits.details).toEqual({ cut: { stored: texts.lacl_digits.stored, numbers: LONG_NUMBERS_NOTE }, reason: "rv" })
    expect(byId.lacl_deep.details).toEqual({ cut: cut("lacl_deep"), reason: "deep" })
    expect(byId.lacl_33.details).toEqual({ cut: cut("lacl_33") })
    expect(JSON.stringify(byId.lacl_32.details)).toBe(`{"x":${"[".repeat(32)}${"]".repeat(32)}}`)

    // The export cuts the one of long numbers as the list does, and writes the deep ones' texts as they are.
    const exported = await api.get("/admin/login-as-customer/log/export?user_id=user_odd", { ...admin.headers, ...asText })
    const [header, ...rows] = parseCsv(text(exported))
    const details = Object.fromEntries(rows.map((row) => [row[header.indexOf("id")], row[header.indexOf("details")]]))
    expect(JSON.parse(details.lacl_digits)).toEqual(byId.lacl_digits.details)
    expect(rows.find((row) => row[header.indexOf("id")] === "lacl_digits")![header.indexOf("reason")]).toBe("rv")
    for (const id of ["lacl_deep", "lacl_33", "lacl_32"]) expect(details[id]).toBe(texts[id].text)
  })

  it("cuts details holding numbers of 131 072 digits without making their text, past 1 GB or not, in the list and the export alike", async () => {
    const admin = await createAdmin(api, getContainer())
    // A few kB stored each; as text 65 MB, 6.5 MB in `reason` (the search indexes make `details ->> 'reason'`), and 10 kB.
    const numbers = (count: number) => `(select jsonb_agg('1e131071'::jsonb) from generate_series(1, ${count}))`
    await knex().raw(
      `insert into login_as_customer_log_entry (id, event_id, action, actor_type, user_id, details, created_at)
       select 'lacl_n500', 'lacev_n500', 'store_action', 'user', 'user_numbers',
              jsonb_build_object('reason', 'ticket 9', 'mode', 'read_only', 'n', ${numbers(500)}), now() - interval '1 second'
       union all
       select 'lacl_nreason', 'lacev_nreason', 'store_action', 'user', 'user_numbers',
              jsonb_build_object('reason', jsonb_build_object('n', ${numbers(50)}), 'mode', '1e131071'::jsonb), now() - interval '2 seconds'
       union all
       select 'lacl_nsmall', 'lacev_nsmall', 'store_action', 'user', 'user_numbers',
              '{"reason": "ticket 10", "n": [1e100, -1e100, 1e-100, 0, 0.5]}'::jsonb, now() - interval '3 seconds'`
    )
    // 10 000 of them: 1.3 GB as text, past PostgreSQL's 1 GB bound, so making that text fails outright: the surest
    // sign that neither the list nor the export makes it. The insert trigger's seal digests the line's text, so such a
    // line is written with the seal off (the database is restored from its template before every test).
    await knex().transaction(async (trx: any) => {
      await trx.raw(`alter table login_as_customer_log_entry disable trigger login_as_customer_log_entry_seal`)
      await trx.raw(
        `insert into login_as_customer_log_entry (id, event_id, action, actor_type, user_id, details, created_at, updated_at)
         select 'lacl_n10000', 'lacev_n10000', 'store_action', 'user', 'user_numbers', jsonb_build_object('n', ${numbers(10_000)}), now(), now()`
      )
      await trx.raw(`alter table login_as_customer_log_entry enable always trigger login_as_customer_log_entry_seal`)
    })
    const stored = Object.fromEntries(
      (await knex().raw(`select id, pg_column_size(details) as "stored" from login_as_customer_log_entry where user_id = 'user_numbers'`)).rows.map(
        (row: { id: string; stored: number }) => [row.id, row.stored]
      )
    )
    expect(stored.lacl_n10000).toBeLessThan(200_000)
    const numbersCut = (id: string) => ({ stored: stored[id], numbers: LONG_NUMBERS_NOTE })

    const list = await api.get("/admin/login-as-customer/log?user_id=user_numbers", admin.headers)
    expect(list.status).toBe(200)
    expect(JSON.stringify(list.data).length).toBeLessThan(100_000)
    const entries: Array<Record<string, any>> = list.data.log_entries
    expect(entries.map((entry) => entry.id)).toEqual(["lacl_n10000", "lacl_n500", "lacl_nreason", "lacl_nsmall"])
    const byId = Object.fromEntries(entries.map((entry) => [entry.id, entry]))
    expect(byId.lacl_n10000.details).toEqual({ cut: numbersCut("lacl_n10000") })
    expect(byId.lacl_n500.details).toEqual({ cut: numbersCut("lacl_n500"), reason: "ticket 9", mode: "read_only" })
    // A `reason` holding the numbers is left out; a lone number of 131 072 digits is kept, bounded.
    expect(byId.lacl_nreason.details).toEqual({ cut: numbersCut("lacl_nreason"), mode: "1" + "0".repeat(LOG_CELL_KEPT_CHARS - 1) + cutNote(131_072) })
    // Numbers within ±1e100 and 1e-100 are shown whole.
    expect(byId.lacl_nsmall.details).toEqual({ reason: "ticket 10", n: [1e100, -1e100, 1e-100, 0, 0.5] })
    expect(byId.lacl_n500.user_id).toBe("user_numbers")

    // The export writes each one's cells as the list shows them.
    const exported = await api.get("/admin/login-as-customer/log/export?user_id=user_numbers", { ...admin.headers, ...asText })
    expect(exported.status).toBe(200)
    const [header, ...rows] = parseCsv(text(exported))
    expect(rows.map((row) => row[header.indexOf("id")])).toEqual(entries.map((entry) => entry.id))
    entries.forEach((entry, i) => {
      const expected = parseCsv(csvRow(header.map((column) => (column === "reason" || column === "mode" ? entry.details?.[column] : entry[column]))))[0]
      const { [header.indexOf("details")]: details, ...cells } = rows[i]
      const { [header.indexOf("details")]: expectedDetails, ...expectedCells } = expected
      expect(cells).toEqual(expectedCells)
      expect(JSON.parse(details)).toEqual(JSON.parse(expectedDetails))
    })
    expect(rows[1][header.indexOf("reason")]).toBe("ticket 9")
  })

  it("keeps a page of cells full of control characters (six bytes each in JSON) within its budget, the export whole", async () => {
    const admin = await createAdmin(api, getContainer())
    // 100 lines of five cells of 32 000 control characters: each cell within the bound, about 96 MB of JSON in all.
    const control = "\u0001".repeat(32_000)
    await knex().raw(
      `insert into login_as_customer_log_entry (id, event_id, action, actor_type, actor_id, user_id, user_email, customer_email, session_id, details, created_at)
       select 'lacl_ctl_' || lpad(i::text, 3, '0'), 'lacev_ctl_' || i, 'store_action', 'user', ?, 'user_ctl', ?, ?, ?,
              jsonb_build_object('reason', ?::text), now() - (i || ' seconds')::interval
         from generate_series(0, 99) i`,
      Array(5).fill(control)
    )
    const list = await api.get("/admin/login-as-customer/log?user_id=user_ctl&limit=100", admin.headers)
    expect(list.status).toBe(200)
    const entries: Array<Record<string, any>> = list.data.log_entries
    expect(entries.map((entry) => entry.id)).toEqual(Array.from({ length: 100 }, (_, i) => `lacl_ctl_${String(i).padStart(3, "0")}`))
    expect(Buffer.byteLength(JSON.stringify(list.data))).toBeLessThan(LOG_PAGE_MAX_JSON_BYTES + 100 * 20_000)
    // The newest lines whole, as long as they fit; every later one with its long cells cut, their sizes kept.
    const whole = entries.findIndex((entry) => entry.user_email !== control)
    expect(whole).toBeGreaterThan(5)
    entries.slice(0, whole).forEach((entry) => {
      expect([entry.actor_id, entry.customer_email, entry.session_id, entry.details.reason]).toEqual([control, control, control, control])
    })
    for (const entry of entries.slice(whole)) {
      const cut = control.slice(0, LOG_PAGE_CUT_CHARS) + cutNote(32_000)
      expect([entry.actor_id, entry.user_email, entry.customer_email, entry.session_id]).toEqual([cut, cut, cut, cut])
      expect(entry.details.reason).toBe(cut)
      expect(entry.user_id).toBe("user_ctl")
    }

    // The export writes every line's cells whole (it streams them).
    const exported = await api.get("/admin/login-as-customer/log/export?user_id=user_ctl", { ...admin.headers, ...asText })
    const [header, ...rows] = parseCsv(text(exported))
    expect(rows).toHaveLength(100)
    expect(rows.every((row) => row[header.indexOf("user_email")] === control)).toBe(true)
  })
}
