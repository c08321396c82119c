import { generateEntityId, MedusaError } from "@medusajs/framework/utils"
import type { Sql } from "./checkpoint"
import { LogKey, sign, signatureValid } from "./key"
import { VERIFICATION_TABLE } from "./sql"
import type { VerifyResult } from "./verify"

/** A verification's record as Log health shows it. */
export type VerificationRecord = {
  at: string
  verified: boolean
  verified_through: string | null
  first_mismatch: unknown
  /** "quick" (only rewritten lines recomputed) or "full" (every line). */
  mode: "quick" | "full"
}

type Row = {
  id: string
  verified: boolean
  verified_through: string | null
  checkpoints: string | number
  lines: string | number
  first_mismatch: { kind?: string; checkpoint?: number | null; line_id?: string | null } | null
  mode: "quick" | "full"
  created_at: Date | string
  signature: string | null
}

/** Records read back from the newest, a page at a time, before giving up on finding a signed one. */
const NEWEST_READ = 20_000
const PAGE = 1_000

/**
 * What the log's key signs of a record (HMAC-SHA256): what Log health shows of it
 * (prefixed `lacv1`, so no checkpoint or erasure signature is one): its id,
 * answer, how far and how much it verified, the first mismatch's kind and
 * place, its mode and time.
 */
function signedPayload(r: Row): string {
  return JSON.stringify([
    "lacv1",
    r.id,
    r.verified,
    r.verified_through,
    String(r.checkpoints),
    String(r.lines),
    r.first_mismatch?.kind ?? null,
    r.first_mismatch?.checkpoint ?? null,
    r.first_mismatch?.line_id ?? null,
    r.mode,
    new Date(r.created_at).toISOString(),
  ])
}

/**
 * Keeps a verification's answer, signed when there is a key (the settings
 * page shows the last one). The record the table took must be the one
 * written: a trigger that drops failing records (or rewrites them), or a
 * rule, kept Log health showing the last passing verification while every
 * new one failed. So the verification fails instead, saying what it found.
 */
export async function recordVerification(sql: Sql, key: LogKey | null, result: VerifyResult, durationMs: number): Promise<void> {
  const row: Row = {
    id: generateEntityId(undefined, "laclv"),
    verified: result.verified,
    verified_through: result.verified_through,
    checkpoints: result.checkpoints,
    lines: result.lines,
    first_mismatch: result.first_mismatch,
    mode: result.mode,
    created_at: new Date().toISOString(),
    signature: null,
  }
  const values = [
    row.id,
    row.verified,
    row.verified_through,
    row.checkpoints,
    row.lines,
    result.first_mismatch ? JSON.stringify(result.first_mismatch) : null,
    result.signed,
    durationMs,
    row.mode,
    result.recomputed_lines,
    row.created_at,
    key ? sign(key, signedPayload(row)) : null,
  ]
  const typed = `?::text, ?::boolean, ?::text, ?::bigint, ?::bigint, ?::jsonb, ?::boolean, ?::integer, ?::text, ?::bigint, ?::timestamptz, ?::text`
  const { rows } = await sql.raw(
    `insert into ${VERIFICATION_TABLE} (${RECORD_COLUMNS}) values (${typed})
     returning (${RECORD_COLUMNS}) is not distinct from (${typed}) as "kept"`,
    [...values, ...values]
  )
  if (rows[0]?.kept !== true) {
    const found = result.first_mismatch ? `${result.first_mismatch.kind}: ${result.first_mismatch.message}` : "nothing wrong"
    throw new MedusaError(
      MedusaError.Types.UNEXPECTED_STATE,
      `Login as Customer: this verification's record was ${rows.length ? "changed" : "dropped"} by the database on its way in (a trigger or rule on the log's tables that is not the plugin's: see Log health), so Log health can't show it. Verification found ${found} (verified: ${result.verified})`
    )
  }
}

const RECORD_COLUMNS = [
  "id",
  "verified",
  "verified_through",
  "checkpoints",
  "lines",
  "first_mismatch",
  "signed",
  "duration_ms",
  "mode",
  "recomputed_lines",
  "created_at",
  "signature",
]
  .map((column) => `"${column}"`)
  .join(", ")

/**
 * Records newer than the one Log health shows (all read when it shows none)
 * that aren't signed with the key: inserted by SQL. `at_least` when reading
 * stopped at NEWEST_READ with more left.
 */
export type PassedOver = { count: number; at_least: boolean }

/**
 * The newest verification's record not dated after now; with a key, the
 * newest one signed with it (a record inserted by SQL is passed over), or
 * null when none of the newest NEWEST_READ is: records inserted by SQL
 * after the real one hide it only by the tens of thousands, and then Log
 * health shows none rather than one of theirs, and says how many it passed
 * over (`passed_over`).
 */
export async function lastVerification(
  sql: Sql,
  key: LogKey | null
): Promise<{ record: VerificationRecord | null; passed_over: PassedOver }> {
  let record: Row | undefined
  let passed = 0
  let after: (Row & { created_at_text: string }) | null = null
  for (let read = 0; !record && read < (key ? NEWEST_READ : 1); read += PAGE) {
    const { rows } = (await sql.raw(
      `select "id", "verified", "verified_through", "checkpoints"::text as "checkpoints", "lines"::text as "lines",
              "first_mismatch", "mode", "created_at", "created_at"::text as "created_at_text", "signature"
         from ${VERIFICATION_TABLE} where "created_at" <= pg_catalog.now() and "created_at" > '-infinity'
          ${after ? `and ("created_at", "id") < (?::timestamptz, ?)` : ""}
        order by "created_at" desc, "id" desc limit ${key ? PAGE : 1}`,
      // The time as PostgreSQL wrote it: a Date would drop its microseconds.
      after ? [after.created_at_text, after.id] : []
    )) as { rows: Array<Row & { created_at_text: string }> }
    const at = rows.findIndex((r) => !key || signatureValid(key, signedPayload(r), r.signature))
    record = at < 0 ? undefined : rows[at]
    passed += at < 0 ? rows.length : at
    after = rows.length === PAGE ? rows[rows.length - 1] : null
    if (!after) break
  }
  return {
    record: record
      ? {
          at: new Date(record.created_at).toISOString(),
          verified: record.verified,
          verified_through: record.verified_through,
          first_mismatch: record.first_mismatch,
          mode: record.mode,
        }
      : null,
    passed_over: { count: passed, at_least: !record && after !== null },
  }
}
