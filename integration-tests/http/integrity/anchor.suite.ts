import { Modules } from "@medusajs/framework/utils"
import fc from "fast-check"
import sealLoginAsCustomerLog from "../../../src/jobs/seal-login-as-customer-log"
import { purgeLog, sealLog, verifyLog } from "../../../src/modules/login-as-customer/log-integrity"
import { lineDigestSql } from "../../../src/modules/login-as-customer/log-integrity/sql"
import { LoginAsCustomerEvents, LogSealedEventData } from "../../../src/types"
import { eventually, refused } from "../../helpers/seed"
import type { SuiteContext } from "../../helpers/suite"
import { CHECKPOINTS, integrityFixtures, key, LOG } from "./integrity-helpers"

const VERIFY = "/admin/login-as-customer/log/verify"

/**
 * A checkpoint kept outside the database (`{ anchor: { seq, digest } }`):
 * what closes the one replacement of the chain a database owner could make
 * unseen, switching the append-only triggers off and replacing the
 * checkpoints by unsigned ones for the next seal to sign after (SECURITY.md),
 * and the newest checkpoints dropped with their lines.
 */
export default function anchorSuite(context: SuiteContext) {
  const { api, getContainer } = context
  const fx = integrityFixtures(context)
  const { knex, tamper, chain, write } = fx

  /** The checkpoint at `seq` as a merchant would have kept it. */
  const keep = async (seq: number) => {
    const { rows } = await knex().raw(`select "seq"::int as "seq", "digest" from ${CHECKPOINTS} where "seq" = ?`, [seq])
    return rows[0] as { seq: number; digest: string }
  }
  /** A line of checkpoint `seq` changed with its digest recomputed, as someone with the triggers off would. */
  const rewriteLineOf = async (seq: number) => {
    const { rows } = await knex().raw(`select "line_ids"[1] as "id" from ${CHECKPOINTS} where "seq" = ?`, [seq])
    await tamper(`update ${LOG} l set "user_email" = 'someone.else@example.com' where "id" = ?`, [rows[0].id])
    await tamper(`update ${LOG} l set "digest" = ${lineDigestSql("l")} where "id" = ?`, [rows[0].id])
  }

  describe.each([
    ["quick", false],
    ["full", true],
  ])("%s verification", (_mode, full) => {
    it("names a chain rebuilt unsigned with the triggers off and signed on by the next seals, which passes without the kept checkpoint", async () => {
      await chain()
      const kept = await keep(3)
      await rewriteLineOf(2)
      await tamper(`delete from ${CHECKPOINTS}`, [], (trx) => sealLog(trx, null))
      for (let i = 0; i < 2; i++) {
        await write()
        await sealLog(knex(), key)
      }
      // The hole SECURITY.md names: unsigned checkpoints before the first signed one pass.
      expect(await verifyLog(knex(), key, { full })).toMatchObject({ verified: true, anchor: null })
      expect(await verifyLog(knex(), key, { full, anchor: kept })).toMatchObject({
        verified: false,
        anchor: { seq: 3, digest: kept.digest, status: "mismatch" },
        first_mismatch: { kind: "anchor_mismatch", checkpoint: 3, line_id: null },
      })
    })

    it("names unsigned checkpoints after the kept one, though the checkpoints before it were kept as they were, unsigned", async () => {
      await chain()
      const kept = await keep(2)
      await rewriteLineOf(3)
      // Signatures aren't in the digests: stripped, the first two still chain to the kept digest.
      await tamper(`update ${CHECKPOINTS} set "signature" = null, "key_id" = null`)
      await tamper(`delete from ${CHECKPOINTS} where "seq" = 3`, [], (trx) => sealLog(trx, null))
      await write()
      await sealLog(knex(), key)
      expect(await verifyLog(knex(), key, { full })).toMatchObject({ verified: true })
      expect(await verifyLog(knex(), key, { full, anchor: kept })).toMatchObject({
        verified: false,
        anchor: { seq: 2, status: "matched" },
        first_mismatch: { kind: "unsigned", checkpoint: 3 },
      })
    })

    it("names the newest checkpoints dropped with their lines, which no chain shows by itself", async () => {
      await chain()
      const kept = await keep(3)
      const { rows } = await knex().raw(`select "line_ids" from ${CHECKPOINTS} where "seq" = 3`)
      await tamper(`delete from ${LOG} where "id" = any(?)`, [rows[0].line_ids])
      await tamper(`delete from ${CHECKPOINTS} where "seq" = 3`)
      expect(await verifyLog(knex(), key, { full })).toMatchObject({ verified: true, checkpoints: 2 })
      const result = await verifyLog(knex(), key, { full, anchor: kept })
      expect(result).toMatchObject({
        verified: false,
        anchor: { seq: 3, status: "missing" },
        first_mismatch: { kind: "anchor_missing", checkpoint: 3, line_id: null },
      })
      expect(result.first_mismatch!.message).toBe(
        "the chain ends at checkpoint 2, before the checkpoint 3 given: if it is one you kept, checkpoints were removed, or the chain replaced by a shorter one"
      )

      await tamper(`delete from ${CHECKPOINTS}`)
      await tamper(`delete from ${LOG}`)
      expect((await verifyLog(knex(), key, { full, anchor: kept })).first_mismatch).toMatchObject({ kind: "anchor_missing", checkpoint: 3 })
    })

    it("without a key, a kept checkpoint still pins every line before it", async () => {
      await chain()
      const kept = await keep(2)
      await rewriteLineOf(1)
      await tamper(`delete from ${CHECKPOINTS}`)
      for (let i = 0; i < 3; i++) {
        await write()
        await sealLog(knex(), null)
      }
      expect(await verifyLog(knex(), null, { full })).toMatchObject({ verified: true, signed: false })
      expect((await verifyLog(knex(), null, { full, anchor: kept })).first_mismatch).toMatchObject({ kind: "anchor_mismatch", checkpoint: 2 })
    })
  })

  it("matches a kept checkpoint the chain still holds, from the seal event or the settings page, and names another digest", async () => {
    // Built before listening: the minute's seal job may seal (and emit) while the chain is built again.
    await chain()
    const eventBus = getContainer().resolve(Modules.EVENT_BUS)
    const sealed: LogSealedEventData[] = []
    const listener = async (event: { data: LogSealedEventData }) => {
      sealed.push(event.data)
    }
    eventBus.subscribe(LoginAsCustomerEvents.LOG_SEALED, listener as never, { subscriberId: "anchor-suite" })
    try {
      await write()
      await write()
      await sealLoginAsCustomerLog(getContainer())
      const event = await eventually(async () => sealed.at(-1))
      const { rows: [newest] } = await knex().raw(`select * from ${CHECKPOINTS} order by "seq" desc limit 1`)
      expect(event).toEqual({
        seq: Number(newest.seq),
        digest: newest.digest,
        signed: true,
        key_id: key.id,
        line_count: 2,
        first_line_at: newest.first_line_at,
        last_line_at: newest.last_line_at,
        created_at: new Date(newest.created_at).toISOString(),
        guards_rewritten: false,
      })
      // Nothing new to seal: nothing emitted.
      await sealLoginAsCustomerLog(getContainer())
      expect(sealed).toHaveLength(1)

      const { data: { health } } = await api.get("/admin/login-as-customer/log/health", fx.admin.headers)
      expect(health.last_seal).toMatchObject({ seq: event!.seq, digest: event!.digest })

      const anchor = { seq: event!.seq, digest: event!.digest.toUpperCase() }
      for (const full of [false, true]) {
        const { data } = await api.post(VERIFY, { full, anchor }, fx.admin.headers)
        expect(data).toMatchObject({ verified: true, anchor: { seq: event!.seq, digest: event!.digest, status: "matched" }, first_mismatch: null })
      }
      // As text, as bigints are often sent.
      expect((await api.post(VERIFY, { anchor: { seq: String(event!.seq), digest: event!.digest } }, fx.admin.headers)).data.anchor.status).toBe("matched")
      expect((await api.post(VERIFY, {}, fx.admin.headers)).data.anchor).toBeNull()

      const other = { seq: 2, digest: "ab".repeat(32) }
      const { data: mismatch } = await api.post(VERIFY, { anchor: other }, fx.admin.headers)
      expect(mismatch).toMatchObject({ verified: false, anchor: { status: "mismatch" }, first_mismatch: { kind: "anchor_mismatch", checkpoint: 2 } })
      expect(mismatch.first_mismatch.message).toMatch(
        /^checkpoint 2's digest is [0-9a-f]{12}…, not the abababababab… given: if that is the digest you kept, the chain up to it was replaced$/
      )
      // The settings page shows that answer as the last verification.
      const { data: { health: after } } = await api.get("/admin/login-as-customer/log/health", fx.admin.headers)
      expect(after.last_verification).toMatchObject({ verified: false, first_mismatch: { kind: "anchor_mismatch" } })
    } finally {
      eventBus.unsubscribe(LoginAsCustomerEvents.LOG_SEALED, listener as never, { subscriberId: "anchor-suite" })
    }
  })

  it("gives each caller the answer about their own kept checkpoint when verifications run at once", async () => {
    await chain()
    const good = await keep(3)
    const service = getContainer().resolve("loginAsCustomer") as any
    const [a, b, c] = await Promise.all([
      service.verifyLog({ anchor: good }),
      service.verifyLog({ anchor: { seq: 3, digest: "0".repeat(64) } }),
      service.verifyLog({}),
    ])
    expect([a.anchor?.status, b.anchor?.status, c.anchor]).toEqual(["matched", "mismatch", null])
  })

  it("after retention: compares a kept checkpoint with the tombstone that ends at it, and says when one inside a removed range can't be", async () => {
    await chain()
    const [first, second, third] = [await keep(1), await keep(2), await keep(3)]
    await purgeLog(knex(), key, 1, { now: new Date(Date.now() + 2 * 86_400_000) })
    await write()
    await sealLog(knex(), key)
    expect(await verifyLog(knex(), key, { anchor: third })).toMatchObject({ first_mismatch: null, verified: true, anchor: { seq: 3, status: "matched" } })
    expect(await verifyLog(knex(), key, { anchor: second })).toMatchObject({ verified: true, anchor: { seq: 2, status: "removed" } })
    expect(await verifyLog(knex(), key, { anchor: { ...third, digest: first.digest } })).toMatchObject({
      verified: false,
      first_mismatch: { kind: "anchor_mismatch", checkpoint: 4 },
    })
    // The tombstone (4) and the seal after it are in the chain as any checkpoint.
    const tombstone = await keep(4)
    expect(await verifyLog(knex(), key, { anchor: tombstone })).toMatchObject({ verified: true, anchor: { status: "matched" } })
  })

  it("refuses a kept checkpoint that isn't one with a clear 400, verifying nothing", async () => {
    await chain()
    const digest = "a".repeat(64)
    for (const [anchor, says] of [
      [{ seq: 0, digest }, "seq"],
      [{ seq: -1, digest }, "seq"],
      [{ seq: 1.5, digest }, "whole number"],
      [{ seq: "1e3", digest }, "whole number"],
      [{ seq: "01", digest }, "whole number"],
      [{ seq: 2 ** 60, digest }, "seq"],
      [{ seq: 1 }, "digest"],
      [{ seq: 1, digest: "a".repeat(63) }, "64 hexadecimal"],
      [{ seq: 1, digest: "g".repeat(64) }, "64 hexadecimal"],
      [{ seq: 1, digest, signature: "x" }, "signature"],
      [null, "anchor"],
      ["3:" + digest, "anchor"],
      [[3, digest], "anchor"],
    ] as Array<[unknown, string]>) {
      const refusal = await refused(api.post(VERIFY, { anchor }, fx.admin.headers))
      expect({ anchor, status: refusal.status, type: refusal.data.type }).toEqual({ anchor, status: 400, type: "invalid_data" })
      expect(refusal.data.message).toContain(says)
    }
    const { data: { health } } = await api.get("/admin/login-as-customer/log/health", fx.admin.headers)
    expect(health.last_verification).toBeNull()
  })

  it("answers any anchor a client may send with 200 or a 400 with a message, never a 5xx", async () => {
    await chain()
    const kept = await keep(3)
    const seq = fc.oneof(fc.integer({ min: -3, max: 6 }), fc.double(), fc.string(), fc.constantFrom("3", " 3", "3 ", "0x3", 2 ** 53, null, true))
    const digest = fc.oneof(
      fc.constant(kept.digest),
      fc.constant(kept.digest.toUpperCase()),
      fc.stringMatching(/^[0-9a-f]{60,68}$/),
      fc.string({ maxLength: 80 }),
      fc.constantFrom(null, 42, `${kept.digest}\u0000`, ` ${kept.digest}`)
    )
    const anchor = fc.oneof(fc.record({ seq, digest }, { requiredKeys: [] }), fc.anything({ maxDepth: 2 }))
    await fc.assert(
      fc.asyncProperty(anchor, async (value) => {
        const response = await api.post(VERIFY, { anchor: value }, { ...fx.admin.headers, validateStatus: () => true })
        expect([200, 400]).toContain(response.status)
        if (response.status === 400) {
          expect(response.data).toMatchObject({ type: "invalid_data", message: expect.stringMatching(/^Invalid request: /) })
        } else {
          expect(response.data.anchor.status).toMatch(/^(matched|mismatch|missing)$/)
        }
      }),
      { numRuns: 60, seed: 17 }
    )
  })
}
