import { spawn } from "child_process"
import path from "path"
import { verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import { verificationLockName } from "../../../src/modules/login-as-customer/services/log-verify-flights"
import type { SuiteContext } from "../../helpers/suite"
import { CHECKPOINTS, integrityFixtures, key, LOG } from "./integrity-helpers"

const ROOT = path.resolve(__dirname, "../../..")
const VERIFY = "/admin/login-as-customer/log/verify"
const HEALTH = "/admin/login-as-customer/log/health"

/** `promise`, or "still waiting" after `ms`: what a verification held forever would give. */
const within = <T>(promise: Promise<T>, ms: number): Promise<T | "still waiting"> =>
  Promise.race([promise, new Promise<"still waiting">((resolve) => setTimeout(() => resolve("still waiting"), ms).unref())])

/** Runs `node scripts/verify-log.js ...args` against the suite's database; killed after `ms`. */
function verifyLogCli(clientUrl: string, args: string[], env: Record<string, string>, ms: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; killed: boolean }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "scripts/verify-log.js"), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, DATABASE_URL: clientUrl, LOG_LEVEL: "error", MEDUSA_DISABLE_TELEMETRY: "true" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    })
    let stdout = ""
    let stderr = ""
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      process.kill(-child.pid!, "SIGKILL")
    }, ms)
    child.stdout.on("data", (chunk) => (stdout += chunk))
    child.stderr.on("data", (chunk) => (stderr += chunk))
    child.on("error", reject)
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, killed })
    })
  })
}

/**
 * No session can hold verification back: another holding a verification's
 * advisory lock is waited for a bounded time, then verification runs
 * without it and says so; one holding a lock on the log's tables ends it
 * with `503 log_locked` (the CLI: exit code 3) naming that session.
 */
export default function verifyLocksSuite(context: SuiteContext) {
  const { api } = context
  const fx = integrityFixtures(context)
  const { knex, chain } = fx
  const clientUrl = () => (context as any).dbConfig.clientUrl as string
  const service = () => context.getContainer().resolve("loginAsCustomer") as any

  const saved = { ...process.env }
  beforeEach(() => {
    process.env.LOGIN_AS_CUSTOMER_VERIFY_LOCK_WAIT_MS = "2000"
    process.env.LOGIN_AS_CUSTOMER_VERIFY_LOCK_TIMEOUT_MS = "1500"
  })
  afterEach(() => {
    for (const name of ["LOGIN_AS_CUSTOMER_VERIFY_LOCK_WAIT_MS", "LOGIN_AS_CUSTOMER_VERIFY_LOCK_TIMEOUT_MS"]) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
  })

  /** Runs `hold` while another session holds what `take` takes; that session's pid. */
  const whileHeld = async (take: string, bindings: unknown[], hold: (pid: number) => Promise<void>) => {
    const trx = await (knex() as any).transaction()
    try {
      const { rows } = await trx.raw(`select pg_backend_pid() as "pid"`)
      await trx.raw(take, bindings)
      await hold(rows[0].pid)
    } finally {
      await trx.rollback()
    }
  }

  it.each([
    ["quick", {}],
    ["full", { full: true }],
  ])("a %s verification runs without its lock when another session holds it too long, and says so", async (kind, body) => {
    await chain()
    // pg_advisory_xact_lock: the same key as the session lock, released with the transaction.
    await whileHeld(`select pg_advisory_xact_lock(hashtext(?))`, [verificationLockName(kind)], async (pid) => {
      const answer = await within(api.post(VERIFY, body, fx.admin.headers), 20_000)
      expect(answer).not.toBe("still waiting")
      const { status, data } = answer as { status: number; data: any }
      expect(status).toBe(200)
      expect(data).toMatchObject({ verified: true, mode: kind, lines: 9 })
      expect(data.note).toContain(`ran without waiting longer for another verification (PostgreSQL pid ${pid}) holding the lock`)
    })
  })

  it("answers 503 log_locked, naming the session, when another session holds the checkpoints' table", async () => {
    await chain()
    await whileHeld(`lock table ${CHECKPOINTS} in access exclusive mode`, [], async (pid) => {
      for (const body of [{}, { full: true }]) {
        const answer = await within(api.post(VERIFY, body, fx.admin.headers).catch((e: any) => e.response), 20_000)
        expect(answer).not.toBe("still waiting")
        const { status, data } = answer as { status: number; data: any }
        expect({ status, code: data.code }).toEqual({ status: 503, code: "log_locked" })
        expect(data.message).toContain(`the log's tables are locked by another session (PostgreSQL pid ${pid})`)
      }
    })
    // Then verification runs again.
    expect((await api.post(VERIFY, {}, fx.admin.headers)).data).toMatchObject({ verified: true })
  })

  it("the CLI ends with exit code 3 and the message while another session holds the log's table", async () => {
    await chain()
    await whileHeld(`lock table ${LOG} in access exclusive mode`, [], async (pid) => {
      const run = await verifyLogCli(clientUrl(), ["--full"], { LOGIN_AS_CUSTOMER_VERIFY_LOCK_TIMEOUT_MS: "1500" }, 120_000)
      expect({ killed: run.killed, code: run.code }).toEqual({ killed: false, code: 3 })
      expect(run.stderr).toContain(`the log's tables are locked by another session (PostgreSQL pid ${pid})`)
    })
  })

  it.each([
    [`alter table ${CHECKPOINTS} alter column "seq" type text using "seq"::text`, CHECKPOINTS, "seq", /type text, not bigint/],
    [`alter table ${CHECKPOINTS} alter column "to_xid" type text`, CHECKPOINTS, "to_xid", /type text, not bigint/],
    [`alter table ${LOG} alter column "xact_id" type text`, LOG, "xact_id", /type text, not bigint/],
    [`alter table ${LOG} rename column "details" to "details_x"`, LOG, "details", /renamed to "details_x"/],
    [`alter table ${CHECKPOINTS} rename column "line_ids" to "line_ids_x"`, CHECKPOINTS, "line_ids", /renamed to "line_ids_x"/],
    [`alter table ${CHECKPOINTS} drop column "signature"`, CHECKPOINTS, "signature", /is missing/],
  ])("names a table whose columns changed (layout_changed) instead of failing: %s", async (statement, table, column, what) => {
    await chain()
    await knex().raw(statement)
    for (const full of [false, true]) {
      const result = await verifyLog(knex(), key, { full })
      expect(result).toMatchObject({ verified: false, first_mismatch: { kind: "layout_changed", checkpoint: null, line_id: null } })
      expect(result.first_mismatch!.message).toContain(`the table ${table}'s column "${column}"`)
      expect(result.first_mismatch!.message).toMatch(what)
      const { status, data } = await api.post(VERIFY, full ? { full } : {}, fx.admin.headers)
      expect(status).toBe(200)
      expect(data).toMatchObject({ verified: false, first_mismatch: { kind: "layout_changed", message: result.first_mismatch!.message } })
    }
    // The seal job fails with the change in words (the job runner logs it), and Log health answers what it can or says why not.
    await expect(service().sealLog()).rejects.toThrow(`the Login as Customer log can't be sealed: the table ${table}'s column "${column}"`)
    const health = await api.get(HEALTH, fx.admin.headers).catch((e: any) => e.response)
    if (health.status !== 200) {
      expect({ status: health.status, type: health.data.type }).toEqual({ status: 500, type: "unexpected_state" })
      expect(health.data.message).toContain(`The log's health can't be read: the table ${table}'s column "${column}"`)
    }
  })

  it("accepts the checkpoints' line_ids_digest column present or absent, and columns added after the migrations' ones", async () => {
    await chain()
    await knex().raw(`alter table ${LOG} add column "extra_note" text null`)
    expect(await verifyLog(knex(), key)).toMatchObject({ verified: true })
    const { rows } = await knex().raw(
      `select 1 from pg_catalog.pg_attribute where attrelid = ?::regclass and attname = 'line_ids_digest' and not attisdropped`,
      [CHECKPOINTS]
    )
    if (rows.length) {
      await knex().raw(`alter table ${CHECKPOINTS} alter column "line_ids_digest" type bigint using null`)
      expect((await verifyLog(knex(), key)).first_mismatch).toMatchObject({ kind: "layout_changed" })
    }
  })
}
