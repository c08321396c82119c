import { Writable } from "stream"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { csvRow, LOG_EXPORT_COLUMNS } from "../../../src/lib/csv"
import { parseCsv } from "../../helpers/csv"
import { createAdmin } from "../../helpers/seed"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../src/modules/login-as-customer"

export default function exportSuite({ api, getContainer }: SuiteContext) {
  const service = () => getContainer().resolve(LOGIN_AS_CUSTOMER_MODULE) as any

  it("exports the log as CSV with hostile values escaped and formulas defused", async () => {
    const admin = await createAdmin(api, getContainer())
    await service().recordLogEntry({
      action: "login_denied",
      actor_type: "user",
      user_id: "user_x",
      user_email: "=HYPERLINK(\"http://evil\",\"x\")",
      customer_email: 'a,"b"\nc@example.com',
      details: { reason: "+1 cmd", note: "@SUM(1)" },
    })
    const res = await api.get("/admin/login-as-customer/log/export", {
      ...admin.headers,
      responseType: "text",
      transformResponse: (x: unknown) => x,
    })
    expect(res.status).toBe(200)
    expect(res.headers["content-type"]).toMatch(/^text\/csv/)
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="login-as-customer-log-.+\.csv"$/)
    const rows = parseCsv(res.data as string)
    const header = rows[0]
    expect(header).toEqual([
      "created_at", "action", "user_id", "user_email", "customer_id", "customer_email",
      "reason", "mode", "session_id", "actor_type", "actor_id", "details", "id",
    ])
    const row = Object.fromEntries(header.map((h, i) => [h, rows[1][i]]))
    expect(row.action).toBe("login_denied")
    expect(row.user_email).toBe("'=HYPERLINK(\"http://evil\",\"x\")")
    expect(row.customer_email).toBe('a,"b"\nc@example.com')
    expect(JSON.parse(row.details)).toEqual({ reason: "+1 cmd", note: "@SUM(1)" })
    // The reason has a column of its own (defused like any cell); no mode was recorded.
    expect(row.reason).toBe("'+1 cmd")
    expect(row.mode).toBe("")
    expect(rows).toHaveLength(2)
  })

  it("writes every cell as the list shows it, hostile and odd values included", async () => {
    const admin = await createAdmin(api, getContainer())
    const values = [
      "=1+1", "+cmd", "-2", "@SUM(A1)", "\tTab", "\rCR", "plain", 'quo"te', "com,ma", "line\nbreak",
      "crlf\r\nend", "'already", "ünïcödé 😀", "=a,\"b\"", "", " lead space",
      // Separators of other dialects: quoted, and a formula start after one defused, for a spreadsheet that splits at `;` or tabs.
      "a;=HYPERLINK(\"http://evil\";\"x\")", "tab\there", "-x;y",
    ]
    for (const [i, value] of values.entries()) {
      await service().recordLogEntry({
        event_id: `lacev_cells_${i}`,
        action: "store_action",
        actor_type: "user",
        actor_id: value || null,
        user_id: `user_${i}`,
        user_email: value,
        customer_id: i % 2 ? null : `cus_${i}`,
        customer_email: value || null,
        session_id: i % 3 ? `lacs_${i}` : null,
        details: i % 4 ? { text: value, n: i, nested: { list: [value, null, true] } } : null,
      })
    }
    const list = await api.get(`/admin/login-as-customer/log?limit=${values.length}`, admin.headers)
    const res = await api.get("/admin/login-as-customer/log/export", {
      ...admin.headers,
      responseType: "text",
      transformResponse: (x: unknown) => x,
    })
    const [header, ...rows] = parseCsv(res.data as string)
    expect(rows).toHaveLength(values.length)
    const detailsAt = header.indexOf("details")
    list.data.log_entries.forEach((entry: Record<string, unknown>, i: number) => {
      // The cells csvRow (the plugin's CSV writer in JavaScript) makes of the list's row.
      const expected = parseCsv(csvRow(header.map((column) => entry[column])))[0]
      const { [detailsAt]: details, ...cells } = rows[i]
      const { [detailsAt]: expectedDetails, ...expectedCells } = expected
      expect(cells).toEqual(expectedCells)
      // JSON is compared as JSON: PostgreSQL spaces it its own way.
      expect(details ? JSON.parse(details) : null).toEqual(expectedDetails ? JSON.parse(expectedDetails) : null)
    })
    expect(rows.map((r) => r[header.indexOf("user_email")])).toContain("'=1+1")
    expect(res.data as string).toContain(`,"a;'=HYPERLINK(""http://evil"";'""x"")",`)
    expect(res.data as string).toContain(`,"tab\there",`)
  })

  it("writes a time no JavaScript date holds (infinity, -infinity, a year past 9999) as a text cell, defused", async () => {
    const admin = await createAdmin(api, getContainer())
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const times = ["-infinity", "infinity", "10000-01-01 00:00:00+00"]
    await knex.raw(`insert into login_as_customer_log_entry (id, event_id, action, actor_type, user_id)
                    select 'lacl_far_' || g, 'lacev_far_' || g, 'store_action', 'user', 'user_far' from generate_series(0, 2) g`)
    // The insert trigger dates such a line now (Migration20261202180001): one written before it, or with the triggers off.
    await knex.transaction(async (trx: any) => {
      await trx.raw(`alter table login_as_customer_log_entry disable trigger user`)
      await trx.raw(`update login_as_customer_log_entry set created_at = (string_to_array(?, ','))[substr(id, 10)::int + 1]::timestamptz
                      where user_id = 'user_far'`, [times.join(",")])
      for (const trigger of ["no_change", "no_truncate", "seal", "erasure_checked"]) {
        await trx.raw(`alter table login_as_customer_log_entry enable always trigger "login_as_customer_log_entry_${trigger}"`)
      }
    })
    const res = await api.get("/admin/login-as-customer/log/export?user_id=user_far&order=created_at", {
      ...admin.headers,
      responseType: "text",
      transformResponse: (x: unknown) => x,
    })
    expect((res.data as string).split("\r\n").slice(1, -1).map((line) => [line.split(",")[0], line.split(",")[12]])).toEqual([
      ["'-infinity", "lacl_far_0"], ["10000-01-01 00:00:00", "lacl_far_2"], ["infinity", "lacl_far_1"],
    ])
  })

  it("streams every matching row exactly once across batches, in order, with the list's filters", async () => {
    const admin = await createAdmin(api, getContainer())
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // 4500 rows, many sharing a millisecond (microseconds apart), which a
    // millisecond-precision page cursor would skip or repeat.
    await knex.raw(`
        insert into login_as_customer_log_entry (id, action, actor_type, user_id, customer_id, created_at)
        select 'lacl_bulk_' || lpad(g::text, 6, '0'),
               case when g % 3 = 0 then 'session_started' else 'store_action' end,
               'user', 'user_' || (g % 2), 'cus_' || (g % 5),
               timestamptz '2026-01-01 00:00:00+00' + (g / 7) * interval '1 millisecond' + (g % 7) * interval '1 microsecond'
          from generate_series(1, 4500) g`)

    const exportCsv = async (query: string) => {
      const res = await api.get(`/admin/login-as-customer/log/export${query}`, {
        ...admin.headers,
        responseType: "text",
        transformResponse: (x: unknown) => x,
      })
      expect(res.headers["transfer-encoding"]).toBe("chunked")
      return parseCsv(res.data as string).slice(1)
    }

    const all = await exportCsv("")
    expect(all).toHaveLength(4500)
    const ids = all.map((r) => r[12])
    expect(new Set(ids).size).toBe(4500)
    // newest first
    expect(ids[0]).toBe("lacl_bulk_004500")
    expect(ids[4499]).toBe("lacl_bulk_000001")

    const ascending = await exportCsv("?order=created_at")
    expect(ascending.map((r) => r[12])).toEqual([...ids].reverse())

    const started = await exportCsv("?action=session_started&customer_id=cus_0")
    const expected = Array.from({ length: 4500 }, (_, i) => i + 1).filter((g) => g % 3 === 0 && g % 5 === 0)
    expect(started).toHaveLength(expected.length)
    expect(started.every((r) => r[1] === "session_started" && r[4] === "cus_0")).toBe(true)

    const list = await api.get("/admin/login-as-customer/log?action=session_started&customer_id=cus_0&limit=5", admin.headers)
    expect(list.data.count).toBe(expected.length)
    expect(list.data.log_entries.map((e: any) => e.id)).toEqual(started.slice(0, 5).map((r) => r[12]))

    // The module writes the same text into any stream, byte for byte (the route adds the header).
    const whole = await api.get("/admin/login-as-customer/log/export", {
      ...admin.headers,
      responseType: "text",
      transformResponse: (x: unknown) => x,
    })
    const chunks: Buffer[] = []
    const sink = new Writable({
      highWaterMark: 1024,
      write: (chunk, _encoding, done) => {
        chunks.push(chunk)
        setImmediate(done)
      },
    })
    expect(await service().exportLogCsv({}, {}, sink)).toBe(4500)
    expect(csvRow([...LOG_EXPORT_COLUMNS]) + Buffer.concat(chunks).toString("utf8")).toBe(whole.data)
  })

  it("orders rows of the same time by their id, as the list does, whatever a defused id would sort as", async () => {
    const admin = await createAdmin(api, getContainer())
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // The export writes "-a" as "'-a", which sorts before "'z" though "-a" sorts after it.
    const ids = ["'z_same_time", "-a_same_time", "lacl_same_time", "=b_same_time"]
    for (const [i, id] of ids.entries()) {
      await knex("login_as_customer_log_entry").insert({
        id,
        event_id: `lacev_same_time_${i}`,
        action: "store_action",
        actor_type: "user",
        user_id: "user_same_time",
        created_at: new Date(Date.UTC(2026, 0, 1)),
      })
    }
    for (const order of ["", "&order=created_at"]) {
      const res = await api.get(`/admin/login-as-customer/log/export?user_id=user_same_time${order}`, {
        ...admin.headers,
        responseType: "text",
        transformResponse: (x: unknown) => x,
      })
      const exported = parseCsv(res.data as string).slice(1).map((row) => row[12].replace(/^'(?=[-=])/, ""))
      const listed = (await api.get(`/admin/login-as-customer/log?limit=10&user_id=user_same_time${order}`, admin.headers)).data.log_entries.map(
        (e: { id: string }) => e.id
      )
      expect(listed).toHaveLength(ids.length)
      expect(exported).toEqual(listed)
    }
  })

  it("writes each time as the list does and as to_char would, to the millisecond, whatever its fraction", async () => {
    const admin = await createAdmin(api, getContainer())
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const fractions = ["", ".5", ".07", ".999", ".9999", ".00001", ".123456", ".000999", ".1"]
    await knex.raw(
      `insert into login_as_customer_log_entry (id, event_id, action, actor_type, user_id, created_at)
       select 'lacl_time_' || n, 'lacev_time_' || n, 'store_action', 'user', 'user_times', t
         from unnest(pg_catalog.string_to_array(?, ',')::timestamptz[]) with ordinality as x(t, n)`,
      [fractions.map((fraction, i) => `20${10 + i}-0${1 + (i % 9)}-2${i % 8} 0${i}:5${i}:3${i}${fraction}+00`).join(",")]
    )
    const res = await api.get("/admin/login-as-customer/log/export?user_id=user_times", {
      ...admin.headers,
      responseType: "text",
      transformResponse: (x: unknown) => x,
    })
    const exported = parseCsv(res.data as string).slice(1).map((row) => [row[12], row[0]])
    const listed = (await api.get("/admin/login-as-customer/log?limit=20&user_id=user_times", admin.headers)).data.log_entries.map(
      (e: { id: string; created_at: string }) => [e.id, new Date(e.created_at).toISOString()]
    )
    const charred = (
      await knex.raw(
        `select id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as t
           from login_as_customer_log_entry where user_id = 'user_times' order by created_at desc, id desc`
      )
    ).rows.map((r: { id: string; t: string }) => [r.id, r.t])
    expect(exported).toHaveLength(fractions.length)
    expect(exported).toEqual(listed)
    expect(exported).toEqual(charred)
  })

  it("exports exactly the rows a filter with quotes, backslashes and $$ names, as the list does", async () => {
    const admin = await createAdmin(api, getContainer())
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    // COPY takes no bind parameters: the values are written into the statement as literals.
    const hostile = ["cus_o'brien\\$$x", "cus_$$;drop table x;$$", "cus_'); select pg_sleep(5); --", "cus_\\'"]
    const decoys = ["cus_o''brien\\$$x", "cus_o'brien\\\\$$x", "cus_o'brien$$x", "cus_$$", "cus_\\"]
    for (const [i, customer] of [...hostile, ...hostile, ...decoys].entries()) {
      await knex("login_as_customer_log_entry").insert({
        id: `lacl_hostile_${String(i).padStart(2, "0")}`,
        event_id: `lacev_hostile_${i}`,
        action: "store_action",
        actor_type: "user",
        user_id: "user_h",
        customer_id: customer,
        customer_email: `${customer}@example.com`,
        created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      })
    }
    const exported = async (query: string) => {
      const res = await api.get(`/admin/login-as-customer/log/export?${query}`, {
        ...admin.headers,
        responseType: "text",
        transformResponse: (x: unknown) => x,
      })
      expect(res.status).toBe(200)
      return parseCsv(res.data as string).slice(1).map((row) => row[12])
    }
    const listed = async (query: string) =>
      (await api.get(`/admin/login-as-customer/log?limit=100&${query}`, admin.headers)).data.log_entries.map((e: { id: string }) => e.id)

    for (const [i, customer] of hostile.entries()) {
      const query = `customer_id=${encodeURIComponent(customer)}`
      const ids = await exported(query)
      expect(ids).toEqual([`lacl_hostile_${String(i + hostile.length).padStart(2, "0")}`, `lacl_hostile_${String(i).padStart(2, "0")}`])
      expect(ids).toEqual(await listed(query))
    }
    const several = `customer_id=${encodeURIComponent(hostile[0])}&customer_id=${encodeURIComponent(hostile[3])}&order=created_at`
    expect(await exported(several)).toEqual(["lacl_hostile_00", "lacl_hostile_03", "lacl_hostile_04", "lacl_hostile_07"])
    // The text search: a literal substring, its LIKE wildcards and backslashes escaped before they are quoted.
    const text = `q=${encodeURIComponent("o'brien\\$$")}`
    expect(await exported(text)).toEqual(["lacl_hostile_04", "lacl_hostile_00"])
    expect(await exported(text)).toEqual(await listed(text))
    expect(await exported(`q=${encodeURIComponent("%_\\'")}`)).toEqual([])
    // The table is whole.
    expect((await knex.raw(`select count(*)::int as n from login_as_customer_log_entry where id like 'lacl_hostile_%'`)).rows[0].n).toBe(13)
  })
}
