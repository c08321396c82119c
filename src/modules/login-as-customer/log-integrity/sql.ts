/**
 * The SQL that defines a log line's digest. The insert trigger
 * (Migration20261201177001) stores it with each line; verification
 * recomputes it with exactly this text, built from PostgreSQL's own
 * functions only (schema-qualified, so a replaced function of the same
 * name in another schema is not what runs). Keep the two equal: a change
 * here is a new line format, which needs a new prefix and a migration.
 */

export const LOG_TABLE = `"login_as_customer_log_entry"`
export const CHECKPOINT_TABLE = `"login_as_customer_log_checkpoint"`
export const VERIFICATION_TABLE = `"login_as_customer_log_verification"`

/** The keys of `details` that hold personal data (free text and addresses). */
export const PERSONAL_DETAIL_KEYS = ["reason", "note", "client_address"] as const

const personalKeysArray = `array[${PERSONAL_DETAIL_KEYS.map((k) => `'${k}'`).join(", ")}]::text[]`

/**
 * A customer's pseudonym, in SQL: `erased-` and the first 16 hex digits of
 * sha256(`login-as-customer:` || customer id), as `customerPseudonym` (erase.ts)
 * computes it.
 */
export function pseudonymSql(customerId: string): string {
  return `('erased-' || pg_catalog.left(pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to('login-as-customer:' || ${customerId}, 'UTF8')), 'hex'), 16))`
}

/** What erasure leaves of `details`: every personal key it had set to JSON null. */
export function erasedDetailsSql(row: string): string {
  return `case when ${row}."details" is null then null else
    (${row}."details" - ${personalKeysArray}) || coalesce(
      (select pg_catalog.jsonb_object_agg(k, 'null'::jsonb) from pg_catalog.jsonb_object_keys(${row}."details") k where k = any(${personalKeysArray})),
      '{}'::jsonb) end`
}

/** What erasure leaves of `customer_email`: the pseudonym of the line's customer (null stays null). */
export function erasedCustomerEmailSql(row: string): string {
  return `case when ${row}."customer_email" is null then null else ${pseudonymSql(`${row}."customer_id"`)} end`
}

/**
 * Whether erased line `row` (salt dropped) holds exactly what erasure leaves:
 * a customer, their pseudonym or null as the email, no personal detail.
 */
export function erasedAsErasureLeavesSql(row: string): string {
  return `(${row}."customer_id" is not null
    and (${row}."customer_email" is null or ${row}."customer_email" = ${pseudonymSql(`${row}."customer_id"`)})
    and ${PERSONAL_DETAIL_KEYS.map((key) => `coalesce(${row}."details" -> '${key}', 'null'::jsonb) = 'null'::jsonb`).join(" and ")})`
}

/**
 * The customer's personal fields of a line as one JSON array: covered by the
 * line's digest only through `pii_hash` = sha256(pii_salt || this), so
 * erasing them (and the salt) leaves the digest intact. The admin's email is
 * not among them: the digest covers it directly.
 */
export function personalFieldsSql(row: string): string {
  return `pg_catalog.jsonb_build_array(${row}."customer_email", ${PERSONAL_DETAIL_KEYS.map(
    (key) => `${row}."details" -> '${key}'`
  ).join(", ")})::text`
}

/** sha256 of the salt and the personal fields, hex. */
export function piiHashSql(row: string): string {
  return `pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(${row}."pii_salt" || ${personalFieldsSql(row)}, 'UTF8')), 'hex')`
}

/**
 * sha256 of everything a line says except the customer's personal fields
 * (which count through `pii_hash`): one JSON array, whose text PostgreSQL writes the same
 * way every time (jsonb orders keys itself), the time in UTC to the
 * microsecond whatever the session's time zone or date style.
 */
export function lineDigestSql(row: string): string {
  return `pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.jsonb_build_array(
    'lacl1', ${row}."id", ${row}."xact_id",
    pg_catalog.to_char(${row}."created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    ${row}."event_id", ${row}."action", ${row}."actor_type", ${row}."actor_id", ${row}."user_id",
    ${row}."user_email", ${row}."customer_id", ${row}."session_id", ${row}."details" - ${personalKeysArray},
    ${row}."pii_hash", ${row}."deleted_at" is not null)::text, 'UTF8')), 'hex')`
}

/** The (xact_id, id) order lines are digested in within a checkpoint. */
export const LINE_ORDER = `"xact_id", "id"`
