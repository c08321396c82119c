import { canContinueSession, ContinueSessionInput as SessionCheckInput } from "../session"

const now = new Date("2026-06-01T12:00:00Z")
const later = new Date(now.getTime() + 60_000).toISOString()
const earlier = new Date(now.getTime() - 1).toISOString()

function input(overrides: Partial<SessionCheckInput> = {}): SessionCheckInput {
  return {
    session: {
      id: "lacs_1",
      user_id: "user_1",
      customer_id: "cus_1",
      started_at: earlier,
      expires_at: later,
      ended_at: null,
    },
    claim: { session_id: "lacs_1", user_id: "user_1" },
    actor_id: "cus_1",
    token_exp: Math.floor(now.getTime() / 1000) + 60,
    consent: { allowed: true, expires_at: null },
    settings: { enabled: true, consent_mode: "customer_or_admin" },
    admin: { exists: true, can_login: true },
    now,
    ...overrides,
  }
}

const session = (changes: Partial<NonNullable<SessionCheckInput["session"]>>) => ({
  ...input().session!,
  ...changes,
})

describe("canContinueSession", () => {
  it("lets a live session go on", () => {
    expect(canContinueSession(input())).toEqual({ allowed: true })
  })

  it.each([
    ["no such session", { session: null }, null],
    ["claim without a session id", { claim: { session_id: "", user_id: "user_1" } }, null],
    ["claim for another session", { claim: { session_id: "lacs_2", user_id: "user_1" } }, null],
    ["token for another customer", { actor_id: "cus_2" }, null],
    ["token naming another admin", { claim: { session_id: "lacs_1", user_id: "user_2" } }, null],
    ["session already ended", { session: session({ ended_at: earlier }) }, null],
    ["session never started (ticket not exchanged)", { session: session({ started_at: null }) }, null],
    ["token expired (cookie sessions ignore exp)", { token_exp: Math.floor(now.getTime() / 1000) }, "expired"],
    ["session expired", { session: session({ expires_at: now.toISOString() }) }, "expired"],
    ["feature switched off", { settings: { enabled: false, consent_mode: "customer_or_admin" as const } }, "feature_disabled"],
    ["consent withdrawn", { consent: { allowed: false, expires_at: null } }, "consent_withdrawn"],
    ["consent record gone", { consent: null }, "consent_withdrawn"],
    ["consent expired", { consent: { allowed: true, expires_at: earlier } }, "consent_withdrawn"],
    ["admin deleted", { admin: { exists: false, can_login: false } }, "admin_revoked"],
    ["admin lost the permission", { admin: { exists: true, can_login: false } }, "admin_revoked"],
  ] as Array<[string, Partial<SessionCheckInput>, string | null]>)("refuses: %s", (_name, overrides, reason) => {
    expect(canContinueSession(input(overrides))).toEqual({ allowed: false, code: "impersonation_ended", end_reason: reason })
  })

  it("ignores consent when consent is not required", () => {
    const settings = { enabled: true, consent_mode: "not_required" as const }
    expect(canContinueSession(input({ settings, consent: null }))).toEqual({ allowed: true })
    expect(
      canContinueSession(input({ settings, consent: { allowed: false, expires_at: null } }))
    ).toEqual({ allowed: true })
  })

  it("checks consent in customer_only mode", () => {
    const settings = { enabled: true, consent_mode: "customer_only" as const }
    expect(canContinueSession(input({ settings, consent: null }))).toEqual({
      allowed: false,
      code: "impersonation_ended",
      end_reason: "consent_withdrawn",
    })
  })

  it("accepts a token without exp when the session itself is alive", () => {
    expect(canContinueSession(input({ token_exp: null }))).toEqual({ allowed: true })
  })

  it("treats loose truthy values as no", () => {
    expect(
      canContinueSession(input({ admin: { exists: true, can_login: 1 as never } }))
    ).toEqual({ allowed: false, code: "impersonation_ended", end_reason: "admin_revoked" })
    expect(
      canContinueSession(
        input({ settings: { enabled: "true" as never, consent_mode: "customer_or_admin" } })
      )
    ).toEqual({ allowed: false, code: "impersonation_ended", end_reason: "feature_disabled" })
  })
})
