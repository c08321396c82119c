import { Readable } from "stream"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { SuiteContext } from "../../helpers/suite"
import { parseCsv } from "../../helpers/csv"
import { createAdmin, eventually } from "../../helpers/seed"
import { exportCopies } from "../../helpers/db"
import { LOG_EXPORT_COLUMNS } from "../../../src/lib/csv"

/** About 40 MB of CSV: far more than the sockets between PostgreSQL, the server and the client hold. */
async function seedLargeLog(knex: { raw: (sql: string) => Promise<unknown> }) {
  await knex.raw(`
      insert into login_as_customer_log_entry (id, action, actor_type, user_id, details, created_at)
      select 'lacl_drop_' || lpad(g::text, 6, '0'), 'store_action', 'user', 'user_' || (g % 2),
             jsonb_build_object('reason', repeat('x', 1000)),
             timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
        from generate_series(1, 20000) g`)
}

/** How the export's COPY runs: cancelled with its download, its connection's settings, its order, its permission, its stalls. */
export default function exportCopySuite({ api, getContainer }: SuiteContext) {
  it("cancels the COPY of a download dropped midway: no backend left running it, the pool still serves", async () => {
    const admin = await createAdmin(api, getContainer())
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    await seedLargeLog(knex)
    const copies = async () =>
      (
        await knex.raw(
          `select state from pg_stat_activity
            where datname = current_database() and query like '/* login_as_customer log export */ copy (%' and state <> 'idle'`
        )
      ).rows as Array<{ state: string }>

    // A cancelled statement ends its transaction in a rollback: counted in pg_stat_database (flushed within seconds).
    const rollbacks = async () =>
      Number((await knex.raw(`select xact_rollback from pg_stat_database where datname = current_database()`)).rows[0].xact_rollback)
    const rolledBack = await rollbacks()

    const res = await api.get("/admin/login-as-customer/log/export", { ...admin.headers, responseType: "stream" })
    const stream = res.data as Readable
    try {
      await new Promise((resolve) => stream.once("data", resolve))
      stream.pause()
      // The COPY is under way, held back by the unread download.
      expect(await eventually(async () => (await copies()).length > 0, { timeout: 10_000 })).toBe(true)
    } finally {
      stream.destroy()
    }

    expect(await eventually(async () => (await copies()).length === 0, { timeout: 15_000 })).toBe(true)
    // Cancelled, not read to its end and dropped.
    expect(await eventually(async () => (await rollbacks()) > rolledBack, { timeout: 15_000 })).toBe(true)
    // The connection went back to the pool: none is left in use, and more exports than the pool holds run at once.
    const pool = knex.client.pool
    expect(await eventually(async () => pool.numUsed() === 0)).toBe(true)
    const exports = await Promise.all(
      Array.from({ length: 12 }, () =>
        api.get("/admin/login-as-customer/log/export?user_id=user_none", {
          ...admin.headers,
          responseType: "text",
          transformResponse: (x: unknown) => x,
        })
      )
    )
    for (const again of exports) expect(parseCsv(again.data as string)).toEqual([[...LOG_EXPORT_COLUMNS]])
    const list = await api.get("/admin/login-as-customer/log?limit=1", admin.headers)
    expect(list.data.log_entries).toHaveLength(1)
  })

  it("runs the COPY without parallel workers, and gives its connection back with the settings it had", async () => {
    const admin = await createAdmin(api, getContainer())
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    await seedLargeLog(knex)
    // Every connection of the pool made to want a parallel plan for any read (at 20 000 rows the planner wouldn't).
    const pool = knex.client.pool
    const eager = `set parallel_setup_cost = 0; set parallel_tuple_cost = 0; set min_parallel_index_scan_size = 0;
                   set min_parallel_table_scan_size = 0; set max_parallel_workers_per_gather = 2`
    const eachConnection = async (sql: string) => {
      const connections = await Promise.all(Array.from({ length: pool.max }, () => knex.client.acquireConnection()))
      try {
        return await Promise.all(connections.map(async (connection: any) => (await connection.query(sql)) as any))
      } finally {
        await Promise.all(connections.map((connection: unknown) => knex.client.releaseConnection(connection)))
      }
    }
    await eachConnection(eager)
    try {
      const copy = async () =>
        (
          await knex.raw(
            `select a.pid, (select count(*)::int from pg_stat_activity w where w.leader_pid = a.pid and w.pid <> a.pid) as "workers"
               from pg_stat_activity a
              where a.datname = current_database() and a.query like '/* login_as_customer log export */ copy (%' and a.state <> 'idle'`
          )
        ).rows as Array<{ pid: number; workers: number }>
      const res = await api.get("/admin/login-as-customer/log/export", { ...admin.headers, responseType: "stream" })
      const stream = res.data as Readable
      try {
        await new Promise((resolve) => stream.once("data", resolve))
        stream.pause()
        // Held back by the unread download, mid-COPY: its workers (if any) are running beside it.
        expect(await eventually(async () => (await copy()).length === 1, { timeout: 10_000 })).toBe(true)
        expect((await copy())[0].workers).toBe(0)
      } finally {
        stream.destroy()
      }
      expect(await eventually(async () => (await copy()).length === 0 && pool.numUsed() === 0, { timeout: 15_000 })).toBe(true)
      // The export's own setting is gone from every connection; the ones set before it are still there.
      const settings = await eachConnection(`select current_setting('max_parallel_workers_per_gather') as "workers",
                                                     current_setting('parallel_setup_cost') as "setup"`)
      expect(settings.map((result) => result.rows[0])).toEqual(Array.from({ length: pool.max }, () => ({ workers: "2", setup: "0" })))
    } finally {
      await eachConnection(`reset parallel_setup_cost; reset parallel_tuple_cost; reset min_parallel_index_scan_size;
                            reset min_parallel_table_scan_size; reset max_parallel_workers_per_gather`)
    }
  })

  it("streams the log through an index in its order, never from a sort of every line, where the planner would sort", async () => {
    const admin = await createAdmin(api, getContainer())
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    await seedLargeLog(knex)
    const pool = knex.client.pool
    // Every connection made to see reading by index as dear (as in a table whose order is not the time's) and to sort on disk.
    const eachConnection = async (sql: string) => {
      const connections = await Promise.all(Array.from({ length: pool.max }, () => knex.client.acquireConnection()))
      try {
        await Promise.all(connections.map((connection: any) => connection.query(sql)))
      } finally {
        await Promise.all(connections.map((connection: unknown) => knex.client.releaseConnection(connection)))
      }
    }
    const sortFiles = async () => Number((await knex.raw(`select count(*)::int as "n" from pg_ls_tmpdir()`)).rows[0].n)
    /**
     * Whether a sort spilled to disk while the export is held mid-COPY by its
     * unread download, past its first row (a sort's files last as long as it
     * does; its first row comes once every line is in it).
     */
    const spillsWhileHeld = async (query: string) => {
      const res = await api.get(`/admin/login-as-customer/log/export${query}`, { ...admin.headers, responseType: "stream" })
      const stream = res.data as Readable
      try {
        let received = ""
        await new Promise<void>((resolve) => {
          const onData = (chunk: Buffer) => {
            received += chunk.toString("latin1")
            // The header is written before the COPY starts: wait for a row.
            if (received.includes("\r\n") && received.indexOf("\r\n") + 2 < received.length) {
              stream.off("data", onData)
              resolve()
            }
          }
          stream.on("data", onData)
        })
        stream.pause()
        expect(await eventually(async () => (await exportCopies(getContainer())) === 1, { timeout: 10_000 })).toBe(true)
        return (await sortFiles()) > 0
      } finally {
        stream.destroy()
        expect(await eventually(async () => (await exportCopies(getContainer())) === 0 && pool.numUsed() === 0, { timeout: 15_000 })).toBe(true)
      }
    }
    expect(await sortFiles()).toBe(0)
    await eachConnection(`set random_page_cost = 1000000; set work_mem = '1MB'`)
    try {
      expect(await spillsWhileHeld("")).toBe(false)
      expect(await spillsWhileHeld("?order=created_at&user_id=user_1")).toBe(false)
      // A text's lines are found through its own indexes, and several admins' through as many ranges: both sorted
      // (through the time's index they would be every line of the log), which is the premise seen.
      expect(await spillsWhileHeld("?q=store_action")).toBe(true)
      expect(await spillsWhileHeld("?user_id=user_0&user_id=user_1")).toBe(true)
    } finally {
      await eachConnection(`reset random_page_cost; reset work_mem`)
    }
  })

  it("refuses admins without the log permission and bad filters", async () => {
    const admin = await createAdmin(api, getContainer())
    const bad = await api
      .get("/admin/login-as-customer/log/export?limit=5", admin.headers)
      .catch((e) => e.response)
    expect(bad.status).toBe(400)
    expect(bad.data.code).toBe("invalid_data")

    await api.post("/admin/login-as-customer/settings", { access: "selected_admins" }, admin.headers)
    const denied = await api.get("/admin/login-as-customer/log/export", admin.headers).catch((e) => e.response)
    expect(denied.status).toBe(403)
    expect(denied.data.code).toBe("permission_denied")
  })

  it("downloads left unread take at most two connections and are given up when stalled; the store still answers", async () => {
    const admin = await createAdmin(api, getContainer())
    const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    await seedLargeLog(knex)
    const copies = () => exportCopies(getContainer())
    process.env.LOGIN_AS_CUSTOMER_EXPORT_STALL_MS = "3000"
    const held: Readable[] = []
    try {
      // More unread downloads than the pool has connections.
      const downloads = Array.from({ length: 12 }, () =>
        api.get("/admin/login-as-customer/log/export", { ...admin.headers, responseType: "stream" }).then(
          (res) => {
            const stream = res.data as Readable
            stream.pause()
            held.push(stream)
          },
          () => undefined
        )
      )
      expect(await eventually(async () => (await copies()) === 2, { timeout: 10_000 })).toBe(true)
      // The rest of the app still gets connections while they are held.
      const list = await api.get("/admin/login-as-customer/log?limit=1", { ...admin.headers, timeout: 10_000 })
      expect(list.data.log_entries).toHaveLength(1)
      expect(await copies()).toBeLessThanOrEqual(2)
      // Each stalled download is given up after the stall time, and the next one runs.
      await Promise.all(downloads)
      expect(held).toHaveLength(12)
      expect(await eventually(async () => (await copies()) === 0, { timeout: 60_000 })).toBe(true)
      // The app's own jobs (the minute's seal) may hold a connection a while on a loaded machine.
      expect(await eventually(async () => knex.client.pool.numUsed() === 0, { timeout: 30_000 })).toBe(true)
    } finally {
      delete process.env.LOGIN_AS_CUSTOMER_EXPORT_STALL_MS
      for (const stream of held) stream.destroy()
    }
    const whole = await api.get("/admin/login-as-customer/log/export?user_id=user_1", {
      ...admin.headers,
      responseType: "text",
      transformResponse: (x: unknown) => x,
    })
    expect(parseCsv(whole.data as string)).toHaveLength(1 + 10_000)
  })
}
