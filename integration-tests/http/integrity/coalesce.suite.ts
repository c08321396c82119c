import { verificationLockName } from "../../../src/modules/login-as-customer/services/log-verify-flights"
import { eventually } from "../../helpers/seed"
import type { SuiteContext } from "../../helpers/suite"
import { CHECKPOINTS, integrityFixtures } from "./integrity-helpers"

const VERIFICATIONS = "login_as_customer_log_verification"
const VERIFY = "/admin/login-as-customer/log/verify"

/** Verifications asked for at once: one recompute of a kind at a time, in a process and across processes. */
export default function coalesceSuite(context: SuiteContext) {
  const { api, getContainer } = context
  const fx = integrityFixtures(context)
  const { knex, chain } = fx

  /** The verifications recorded so far, by mode. */
  const recorded = async (): Promise<Record<string, number>> => {
    const { rows } = await knex().raw(`select "mode", count(*)::int as "n" from ${VERIFICATIONS} group by "mode"`)
    return Object.fromEntries(rows.map((r: { mode: string; n: number }) => [r.mode, r.n]))
  }
  /** The app's verifications in flight (this test runs the app in its own process). */
  const inFlight = (): Array<{ kind: string; callers: number; waiting_for_lock: boolean }> =>
    (getContainer().resolve("loginAsCustomer") as any).logIntegrity_.verificationsInFlight?.() ?? []
  /** Backends of the app waiting for a lock on the checkpoints' table. */
  const waitingOnCheckpoints = async (): Promise<number> => {
    const { rows } = await knex().raw(
      `select count(*)::int as "n" from pg_locks l join pg_class c on c.oid = l.relation
        where c.relname = ? and not l.granted`,
      [CHECKPOINTS]
    )
    return rows[0].n
  }
  const until = async (what: string, probe: () => Promise<boolean>) => {
    expect({ what, reached: !!(await eventually(probe, { timeout: 20_000 })) }).toEqual({ what, reached: true })
  }

  it("eight full verifications asked at once run one recompute and all get its answer; a quick one asked meanwhile runs its own", async () => {
    await chain()
    // Three, or four when the minute's seal job took some of a checkpoint's lines first.
    const { rows: [{ checkpoints }] } = await knex().raw(`select count(*)::int as "checkpoints" from ${CHECKPOINTS}`)
    const before = await recorded()
    // Hold the checkpoints' table, so the first verification stays running while the others come.
    const trx = await (knex() as any).transaction()
    let answers: Array<{ status: number; data: any }>
    try {
      await trx.raw(`lock table ${CHECKPOINTS} in access exclusive mode`)
      const asked = [
        ...Array.from({ length: 8 }, () => api.post(VERIFY, { full: true }, fx.admin.headers)),
        api.post(VERIFY, {}, fx.admin.headers),
      ]
      // Every request is in: joined to the verification of its kind (or, uncoalesced, each waiting on the table).
      await until("all nine requests in", async () => {
        const flights = inFlight()
        const callers = (kind: string) => flights.find((f) => f.kind === kind)?.callers ?? 0
        // (Coalesced, at most the two and a seal wait on the table.)
        return (callers("full") === 8 && callers("quick") === 1) || (await waitingOnCheckpoints()) >= 5
      })
      expect(await recorded()).toEqual(before)
      await trx.commit()
      answers = await Promise.all(asked)
    } finally {
      if (!trx.isCompleted()) await trx.rollback()
    }

    expect(answers.map((a) => a.status)).toEqual(Array(9).fill(200))
    const full = answers.slice(0, 8).map((a) => a.data)
    expect(full[0]).toMatchObject({ verified: true, first_mismatch: null, mode: "full", lines: 9, checkpoints })
    for (const answer of full) expect(answer).toEqual(full[0])
    expect(answers[8].data).toMatchObject({ verified: true, mode: "quick", lines: 9 })
    // One recompute of each kind: one recorded verification each.
    expect(await recorded()).toEqual({ ...before, full: (before.full ?? 0) + 1, quick: (before.quick ?? 0) + 1 })
    expect(inFlight()).toEqual([])
  })

  it("waits while another process verifies the same kind, then runs its one recompute for every caller", async () => {
    await chain()
    const before = await recorded()
    const client = (knex() as any).client
    const other = await client.acquireConnection()
    let answers: Array<{ status: number; data: any }>
    try {
      // Another process's full verification holds the lock.
      await (knex() as any).raw(`select pg_advisory_lock(hashtext(?))`, [verificationLockName("full")]).connection(other)
      const asked = Array.from({ length: 3 }, () => api.post(VERIFY, { full: true }, fx.admin.headers))
      await until("three callers waiting for the other process", async () =>
        inFlight().some((f) => f.kind === "full" && f.callers === 3 && f.waiting_for_lock)
      )
      // A quick one isn't held up by it.
      expect((await api.post(VERIFY, {}, fx.admin.headers)).data).toMatchObject({ verified: true, mode: "quick" })
      expect(await recorded()).toEqual({ ...before, quick: (before.quick ?? 0) + 1 })
      await (knex() as any).raw(`select pg_advisory_unlock(hashtext(?))`, [verificationLockName("full")]).connection(other)
      answers = await Promise.all(asked)
    } finally {
      await (knex() as any).raw(`select pg_advisory_unlock_all()`).connection(other)
      await client.releaseConnection(other)
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
    for (const answer of answers) expect(answer.data).toMatchObject({ verified: true, mode: "full", lines: 9 })
    expect(await recorded()).toEqual({ ...before, quick: (before.quick ?? 0) + 1, full: (before.full ?? 0) + 1 })
  })
}
