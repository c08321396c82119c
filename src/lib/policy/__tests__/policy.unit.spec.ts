import { createHash } from "crypto"
import fc from "fast-check"
import {
  adminPermissions,
  canChangeConsent,
  canContinueSession,
  canExchangeTicket,
  canLoginAsCustomer,
  canMakeStoreRequest,
  canUseAdminRoute,
  isConsentActive,
  sessionStatus,
} from ".."
import { CONSENT_MODES, RESTRICTABLE_ACTIONS } from "../../../types"

/**
 * Every policy checked over its whole input space against a small model
 * written here on its own: each model lists the rules that fail, in the
 * order the product names them, and answers with the first.
 */
const RUNS = { numRuns: Number(process.env.POLICY_RUNS ?? 3000) }
const now = new Date("2026-06-01T12:00:00Z")
const PAST = "2026-06-01T11:59:59.999Z"
const NOW = now.toISOString()
const FUTURE = "2026-06-01T12:00:00.001Z"
const date = fc.constantFrom(null, PAST, NOW, FUTURE)
const over = (d: string | null) => d !== null && d <= NOW
const first = <T>(rules: Array<[boolean, T]>): T | null => rules.find(([fails]) => fails)?.[1] ?? null

const consentArb = fc.option(fc.record({ allowed: fc.boolean(), expires_at: date }))
const settingsArb = fc.record({ enabled: fc.boolean(), consent_mode: fc.constantFrom(...CONSENT_MODES) })
const adminNowArb = fc.record({ exists: fc.boolean(), can_login: fc.boolean() })
const consentMissing = (s: { consent_mode: string }, c: { allowed: boolean; expires_at: string | null } | null) =>
  s.consent_mode !== "not_required" && !(c?.allowed && !over(c.expires_at))

describe("policy states", () => {
  it("consent is active when given and its end (if any) has not come; a session is ended, expired, active or pending", () => {
    fc.assert(
      fc.property(consentArb, fc.record({ started_at: date, expires_at: date, ended_at: date }), (consent, s) => {
        expect(isConsentActive(consent, now)).toBe(consent !== null && consent.allowed && !over(consent.expires_at))
        const expected = s.ended_at ? "ended" : over(s.expires_at) ? "expired" : s.started_at ? "active" : "pending"
        expect(sessionStatus({ ...s, expires_at: s.expires_at as string }, now)).toBe(expected)
      }),
      RUNS
    )
  })
})

describe("canLoginAsCustomer (start)", () => {
  const STOREFRONTS = [
    { id: "eu", name: "EU", sales_channel_id: "sc_eu", login_url: "https://eu.example.com/assist" },
    { id: "us", name: "US", sales_channel_id: null, login_url: "https://us.example.com/assist" },
  ]
  const arb = fc.record({
    admin: fc.option(fc.record({ id: fc.constant("user_1"), can_login: fc.boolean() })),
    customer: fc.option(fc.record({ id: fc.constant("cus_1"), has_account: fc.boolean() })),
    consent: consentArb,
    settings: fc.record({
      enabled: fc.boolean(),
      consent_mode: fc.constantFrom(...CONSENT_MODES),
      require_reason: fc.boolean(),
      store_selection: fc.constantFrom("auto" as const, "manual" as const),
      storefronts: fc.subarray(STOREFRONTS),
    }),
    storefront: fc.option(
      fc.record({ id: fc.constantFrom(undefined, null, "eu", "us", "xx"), sales_channel_id: fc.constantFrom(undefined, null, "sc_eu", "sc_xx") }),
      { nil: undefined }
    ),
    reason: fc.constantFrom(null, "", " \u200b\u3164", "T-1"),
    allowed_origins: fc.subarray(["https://eu.example.com", "https://us.example.com"]),
  })

  it("matches the model", () => {
    fc.assert(
      fc.property(arb, (input) => {
        const { admin, customer, consent, settings, storefront, reason, allowed_origins } = input
        const blank = !reason || !reason.replace(/[\s\u200b\u3164]/g, "")
        const sendable = (s?: { login_url: string }) => !!s && allowed_origins.some((o) => s.login_url.startsWith(o + "/"))
        const chosen = !storefront
          ? undefined
          : storefront.id
            ? settings.storefronts.find((s) => s.id === storefront.id)
            : settings.store_selection === "manual"
              ? undefined
              : settings.storefronts.find((s) => s.sales_channel_id && s.sales_channel_id === storefront.sales_channel_id) ??
                settings.storefronts[0]
        const denial = first([
          [!settings.enabled, "feature_disabled"],
          [!admin?.can_login, "permission_denied"],
          [!customer, "customer_not_found"],
          [!customer?.has_account, "customer_has_no_account"],
          [settings.consent_mode !== "not_required" && !consent?.allowed, "assistance_not_allowed"],
          [consentMissing(settings, consent), "assistance_expired"],
          [!!storefront && settings.require_reason && blank, "reason_required"],
          [!storefront && !settings.storefronts.length, "storefront_not_found"],
          [!storefront && !settings.storefronts.some(sendable), "storefront_origin_not_allowed"],
          [!!storefront && settings.store_selection === "manual" && !storefront.id, "storefront_required"],
          [!!storefront && !chosen, "storefront_not_found"],
          [!!storefront && !sendable(chosen), "storefront_origin_not_allowed"],
        ])
        const expected = denial
          ? { allowed: false, code: denial }
          : { allowed: true, storefront: storefront ? chosen : settings.storefronts.length === 1 ? settings.storefronts[0] : null }
        expect(canLoginAsCustomer({ ...input, now })).toEqual(expected)
      }),
      RUNS
    )
  })
})

const sessionArb = fc.option(
  fc.record({
    id: fc.constantFrom("lacs_1", "lacs_2"),
    user_id: fc.constantFrom("user_1", "user_2"),
    customer_id: fc.constantFrom("cus_1", "cus_2"),
    started_at: date,
    expires_at: date.map((d) => d ?? FUTURE),
    ended_at: date,
    storefront_id: fc.constantFrom(null, "eu", "us"),
    end_reason: fc.constantFrom(null, "expired", "consent_withdrawn", "feature_disabled", "admin_revoked", "logout" as const),
    mode: fc.constantFrom("full", "read_only" as const),
    reason: fc.constantFrom(null, "", "T-1", "T-2"),
  })
)
// A reason's digest as a token carries it: 32 hex digits of its sha256.
const digestOf = (reason: string) => createHash("sha256").update(reason).digest("hex").slice(0, 32)
type Session = { id: string; user_id: string; customer_id: string; started_at: string | null; expires_at: string; ended_at: string | null; storefront_id: string | null; end_reason: string | null; mode: string; reason: string | null }
const standingFails = (s: { expires_at: string | null }, i: { settings: any; consent: any; admin: any }) =>
  first([
    [over(s.expires_at), "expired"],
    [i.settings.enabled !== true, "feature_disabled"],
    [consentMissing(i.settings, i.consent), "consent_withdrawn"],
    [!(i.admin.exists && i.admin.can_login), "admin_revoked"],
  ] as Array<[boolean, string]>)

describe("canContinueSession (continue)", () => {
  const arb = fc.record({
    session: sessionArb,
    claim: fc.record(
      {
        session_id: fc.constantFrom("", "lacs_1"),
        user_id: fc.constantFrom("user_1", "user_2"),
        mode: fc.constantFrom("full", "read_only"),
        reason_digest: fc.constantFrom(digestOf(""), digestOf("T-1"), "0".repeat(32)),
      },
      { requiredKeys: ["session_id", "user_id"] }
    ),
    actor_id: fc.constantFrom(undefined, "cus_1"),
    token_exp: fc.constantFrom(null, undefined, now.getTime() / 1000 - 1, now.getTime() / 1000, now.getTime() / 1000 + 1),
    end_logged: fc.constantFrom(undefined, false, true),
    consent: consentArb,
    settings: settingsArb,
    admin: adminNowArb,
  })
  it("matches the model", () => {
    fc.assert(
      fc.property(arb, (input) => {
        const s = input.session as Session | null
        const notThisToken =
          !s || !input.claim.session_id || s.id !== input.claim.session_id || s.customer_id !== input.actor_id ||
          s.user_id !== input.claim.user_id || (input.claim.mode !== undefined && s.mode !== input.claim.mode) ||
          (input.claim.reason_digest !== undefined && s.reason !== null && digestOf(s.reason) !== input.claim.reason_digest) ||
          !!s.ended_at || !s.started_at || input.end_logged === true
        const reason = notThisToken
          ? null
          : input.token_exp != null && input.token_exp * 1000 <= now.getTime()
            ? "expired"
            : standingFails(s!, input)
        const expected = !notThisToken && !reason ? { allowed: true } : { allowed: false, code: "impersonation_ended", end_reason: reason }
        expect(canContinueSession({ ...input, now } as never)).toEqual(expected)
      }),
      RUNS
    )
  })
})

describe("canExchangeTicket (exchange)", () => {
  const arb = fc.record({
    ticket: fc.option(fc.record({ session_id: fc.constant("lacs_1"), user_id: fc.constant("user_1"), customer_id: fc.constant("cus_1") })),
    session: sessionArb,
    consent: consentArb,
    settings: settingsArb,
    admin: adminNowArb,
    storefronts: fc.constant([{ id: "eu", sales_channel_id: "sc_eu" }, { id: "us", sales_channel_id: null }]),
    sales_channel_ids: fc.constantFrom(null, undefined, [], ["sc_eu"], ["sc_us", "sc_eu"], ["sc_us"]),
  })
  const CODES: Record<string, string> = { consent_withdrawn: "assistance_not_allowed", feature_disabled: "feature_disabled", admin_revoked: "permission_denied" }
  it("matches the model", () => {
    fc.assert(
      fc.property(arb, (input) => {
        const s = input.session as Session | null
        const t = input.ticket
        let expected: object = { allowed: true }
        if (!t) expected = { allowed: false, code: "invalid_ticket", end_reason: null, burn: false }
        else if (!s || s.id !== t.session_id || s.user_id !== t.user_id || s.customer_id !== t.customer_id || (!s.ended_at && s.started_at))
          expected = { allowed: false, code: "invalid_ticket", end_reason: null, burn: true }
        else if (s.ended_at) expected = { allowed: false, code: CODES[s.end_reason ?? ""] ?? "invalid_ticket", end_reason: null, burn: true }
        else {
          const reason = standingFails(s, input)
          const channel = s.storefront_id === "eu" ? "sc_eu" : null
          if (reason) expected = { allowed: false, code: CODES[reason] ?? "invalid_ticket", end_reason: reason, burn: true }
          else if (channel && input.sales_channel_ids && !input.sales_channel_ids.includes(channel))
            expected = { allowed: false, code: "wrong_storefront", end_reason: null, burn: true }
        }
        expect(canExchangeTicket({ ...input, now } as never)).toEqual(expected)
      }),
      RUNS
    )
  })
})

describe("canMakeStoreRequest (a store request in a session)", () => {
  const arb = fc.record({
    method: fc.constantFrom("GET", "HEAD", "OPTIONS", "POST", "put", "PATCH", "DELETE"),
    session: fc.record({ mode: fc.constantFrom("full" as const, "read_only" as const) }),
    settings: fc.record({ restricted_actions: fc.subarray([...RESTRICTABLE_ACTIONS]) }),
    ends_session: fc.boolean(),
    always_refused: fc.boolean(),
    actions: fc.subarray([...RESTRICTABLE_ACTIONS]),
    cart_email: fc.option(fc.record({ value: fc.constantFrom(null, 7, "jane@example.com", " JANE@example.com ", "eve@example.com") })),
    customer_email: fc.constantFrom(null, undefined, "jane@example.com"),
    cart_owner: fc.constantFrom(null, "none" as const, "customer" as const, "foreign" as const),
    cart_read_only: fc.boolean(),
  })
  it("matches the model", () => {
    fc.assert(
      fc.property(arb, (f) => {
        const change = !["GET", "HEAD", "OPTIONS"].includes(f.method)
        const other =
          !!f.cart_email &&
          !(typeof f.cart_email.value === "string" && typeof f.customer_email === "string" &&
            f.cart_email.value.trim().toLowerCase() === f.customer_email.toLowerCase())
        const restricted = RESTRICTABLE_ACTIONS.filter(
          (a) => f.settings.restricted_actions.includes(a) && (f.actions.includes(a) || (a === "change_email" && other))
        )
        const code = f.ends_session
          ? null
          : first([
              [change && f.session.mode === "read_only", "read_only_session"],
              [f.always_refused, "restricted_while_impersonating"],
              [change && restricted.length > 0, "restricted_while_impersonating"],
              [f.cart_owner === "foreign", "restricted_while_impersonating"],
            ])
        const decision = canMakeStoreRequest(f)
        expect(decision.allowed ? null : decision.code).toEqual(code)
        // Only an allowed change to the customer's own cart, not a read of it, marks it as the session's.
        const marks = !code && change && !f.ends_session && f.cart_owner === "customer" && !f.cart_read_only
        expect(decision.allowed && !!decision.marks_cart).toBe(marks)
        if (!decision.allowed && restricted.length && change && f.session.mode === "full" && !f.always_refused) {
          expect(decision.message).toContain(`(${restricted[0]})`)
          expect([...(decision.restricted_actions ?? [])].sort()).toEqual([...restricted].sort())
        }
      }),
      RUNS
    )
  })
})

describe("canChangeConsent (a consent change)", () => {
  it("matches the model", () => {
    const arb = fc.record({
      actor: fc.constantFrom("customer" as const, "user" as const, "other" as never),
      in_session: fc.boolean(),
      allowed: fc.boolean(),
      settings: fc.record({ consent_mode: fc.constantFrom(...CONSENT_MODES), restricted_actions: fc.subarray([...RESTRICTABLE_ACTIONS]) }),
    })
    fc.assert(
      fc.property(arb, (f) => {
        const code = first([
          [f.in_session && (f.actor !== "user" || f.settings.restricted_actions.includes("change_remote_assistance")), "restricted_while_impersonating"],
          [f.actor !== "customer" && f.actor !== "user", "consent_by_customer_only"],
          [f.actor === "user" && f.allowed && f.settings.consent_mode === "customer_only", "consent_by_customer_only"],
        ])
        expect(canChangeConsent(f)).toEqual(code ? { allowed: false, code } : { allowed: true })
      }),
      RUNS
    )
  })
})

describe("adminPermissions and canUseAdminRoute (permissions)", () => {
  const perms = fc.record({ can_login: fc.boolean(), can_view_log: fc.boolean(), can_manage: fc.boolean() })
  it("match the model", () => {
    const arb = fc.record({
      is_admin: fc.boolean(),
      rbac_enabled: fc.boolean(),
      roles: fc.option(perms),
      access: fc.constantFrom("all_admins" as const, "selected_admins" as const, "someone" as never),
      grant: fc.option(fc.record({ can_login: fc.boolean(), can_view_log: fc.boolean() })),
      anyOf: fc.subarray(["can_login", "can_view_log", "can_manage"] as const, { minLength: 1 }),
    })
    fc.assert(
      fc.property(arb, ({ anyOf, ...f }) => {
        const none = { can_login: false, can_view_log: false, can_manage: false }
        const expected = !f.is_admin
          ? none
          : f.rbac_enabled
            ? f.roles ?? none
            : f.access === "all_admins"
              ? { can_login: true, can_view_log: true, can_manage: true }
              : f.access === "selected_admins"
                ? { can_login: !!f.grant?.can_login, can_view_log: !!f.grant?.can_view_log, can_manage: true }
                : none
        const result = adminPermissions(f)
        expect(result).toEqual(expected)
        const may = anyOf.some((p) => expected[p])
        expect(canUseAdminRoute(result, anyOf)).toEqual(may ? { allowed: true } : { allowed: false, code: "permission_denied" })
      }),
      RUNS
    )
  })
})
