import { canLoginAsCustomer, CanLoginInput } from "../start"
import { CONSENT_MODES, DenialCode } from "../../../types"

const now = new Date("2026-06-01T12:00:00Z")
const storefronts = [
  { id: "eu", name: "EU store", sales_channel_id: "sc_eu", login_url: "https://eu.example.com/" },
  { id: "us", name: "US store", sales_channel_id: "sc_us", login_url: "https://us.example.com/" },
]

function input(overrides: Partial<CanLoginInput> = {}): CanLoginInput {
  return {
    admin: { id: "user_1", can_login: true },
    customer: { id: "cus_1", has_account: true },
    consent: { allowed: true, expires_at: null },
    settings: {
      enabled: true,
      consent_mode: "customer_or_admin",
      require_reason: false,
      store_selection: "auto",
      storefronts,
    },
    storefront: {},
    reason: null,
    allowed_origins: ["https://eu.example.com", "https://us.example.com"],
    now,
    ...overrides,
  }
}

const settingsWith = (changes: Partial<CanLoginInput["settings"]>) => ({
  ...input().settings,
  ...changes,
})

const code = (result: ReturnType<typeof canLoginAsCustomer>): DenialCode | null =>
  result.allowed ? null : result.code

describe("canLoginAsCustomer", () => {
  it("allows when every rule holds, resolving the first storefront in auto mode", () => {
    const result = canLoginAsCustomer(input())
    expect(result).toEqual({ allowed: true, storefront: storefronts[0] })
  })

  it.each([
    ["feature off", { settings: settingsWith({ enabled: false }) }, "feature_disabled"],
    ["settings missing", { settings: undefined as never }, "feature_disabled"],
    ["no admin", { admin: null }, "permission_denied"],
    ["admin without permission", { admin: { id: "user_1", can_login: false } }, "permission_denied"],
    ["no customer", { customer: null }, "customer_not_found"],
    ["guest customer", { customer: { id: "cus_1", has_account: false } }, "customer_has_no_account"],
    ["consent never given", { consent: null }, "assistance_not_allowed"],
    ["consent withdrawn", { consent: { allowed: false, expires_at: null } }, "assistance_not_allowed"],
    [
      "consent expired",
      { consent: { allowed: true, expires_at: "2026-06-01T11:59:59Z" } },
      "assistance_expired",
    ],
    [
      "consent expiring this very instant",
      { consent: { allowed: true, expires_at: now.toISOString() } },
      "assistance_expired",
    ],
    [
      "reason required and missing",
      { settings: settingsWith({ require_reason: true }), reason: null },
      "reason_required",
    ],
    [
      "reason required and blank",
      { settings: settingsWith({ require_reason: true }), reason: "   " },
      "reason_required",
    ],
    ...["\u034F", "\uFE00", "\u{E0100}", "\u17B4\u17B5", " \u0301\u200B"].map(
      (reason) =>
        [
          `reason required and made of default-ignorable or combining marks only (${JSON.stringify(reason)})`,
          { settings: settingsWith({ require_reason: true }), reason },
          "reason_required",
        ] as [string, Partial<CanLoginInput>, DenialCode]
    ),
    [
      "manual selection without a storefront",
      { settings: settingsWith({ store_selection: "manual" }), storefront: {} },
      "storefront_required",
    ],
    [
      "manual selection with an unknown storefront",
      { settings: settingsWith({ store_selection: "manual" }), storefront: { id: "nope" } },
      "storefront_not_found",
    ],
    ["auto selection, unknown storefront asked for", { storefront: { id: "nope" } }, "storefront_not_found"],
    ["no storefront configured", { settings: settingsWith({ storefronts: [] }) }, "storefront_not_found"],
    ["the storefront's origin not allowed", { allowed_origins: ["https://us.example.com"] }, "storefront_origin_not_allowed"],
    ["no origin allowed at all", { allowed_origins: [] }, "storefront_origin_not_allowed"],
    ["allowed origins missing", { allowed_origins: undefined as never }, "storefront_origin_not_allowed"],
    [
      "an explicit storefront whose origin is not allowed",
      { storefront: { id: "us" }, allowed_origins: ["https://eu.example.com"] },
      "storefront_origin_not_allowed",
    ],
    [
      "manual selection of a storefront whose origin is not allowed",
      { settings: settingsWith({ store_selection: "manual" }), storefront: { id: "eu" }, allowed_origins: ["https://us.example.com"] },
      "storefront_origin_not_allowed",
    ],
    [
      "the sales channel's storefront whose origin is not allowed (no fallback to another)",
      { storefront: { sales_channel_id: "sc_us" }, allowed_origins: ["https://eu.example.com"] },
      "storefront_origin_not_allowed",
    ],
    [
      "an allowed origin that is only a prefix of the storefront's host",
      {
        settings: settingsWith({
          storefronts: [{ id: "x", name: "X", sales_channel_id: null, login_url: "https://eu.example.com.evil.example/" }],
        }),
      },
      "storefront_origin_not_allowed",
    ],
  ] as Array<[string, Partial<CanLoginInput>, DenialCode]>)("denies: %s", (_name, overrides, expected) => {
    expect(code(canLoginAsCustomer(input(overrides)))).toBe(expected)
  })

  it("allows a future consent expiry", () => {
    const result = canLoginAsCustomer(
      input({ consent: { allowed: true, expires_at: new Date(now.getTime() + 1000) } })
    )
    expect(result.allowed).toBe(true)
  })

  it("picks the storefront of the context's sales channel in auto mode", () => {
    const result = canLoginAsCustomer(input({ storefront: { sales_channel_id: "sc_us" } }))
    expect(result).toEqual({ allowed: true, storefront: storefronts[1] })
  })

  it("falls back to the first storefront when no storefront has the sales channel", () => {
    const result = canLoginAsCustomer(input({ storefront: { sales_channel_id: "sc_other" } }))
    expect(result).toEqual({ allowed: true, storefront: storefronts[0] })
  })

  it("honours an explicit storefront in both modes", () => {
    for (const store_selection of ["auto", "manual"] as const) {
      const result = canLoginAsCustomer(
        input({ settings: settingsWith({ store_selection }), storefront: { id: "us" } })
      )
      expect(result).toEqual({ allowed: true, storefront: storefronts[1] })
    }
  })

  it("accepts a reason when one is required", () => {
    const result = canLoginAsCustomer(
      input({ settings: settingsWith({ require_reason: true }), reason: "Ticket #4711" })
    )
    expect(result.allowed).toBe(true)
  })

  describe("previewing (no storefront chosen yet)", () => {
    it("allows in manual mode when storefronts exist, without choosing one", () => {
      const result = canLoginAsCustomer(
        input({ settings: settingsWith({ store_selection: "manual" }), storefront: undefined })
      )
      expect(result).toEqual({ allowed: true, storefront: null })
    })

    it("does not ask for the reason yet", () => {
      const result = canLoginAsCustomer(
        input({ settings: settingsWith({ require_reason: true }), storefront: undefined })
      )
      expect(result.allowed).toBe(true)
    })

    it("names the only storefront when there is one", () => {
      const result = canLoginAsCustomer(
        input({ settings: settingsWith({ storefronts: [storefronts[0]] }), storefront: undefined })
      )
      expect(result).toEqual({ allowed: true, storefront: storefronts[0] })
    })

    it("denies when no storefront is at an allowed origin, allows when one is", () => {
      expect(code(canLoginAsCustomer(input({ storefront: undefined, allowed_origins: [] })))).toBe(
        "storefront_origin_not_allowed"
      )
      expect(
        canLoginAsCustomer(input({ storefront: undefined, allowed_origins: ["https://us.example.com"] }))
      ).toEqual({ allowed: true, storefront: null })
    })

    it("still denies without storefronts", () => {
      const result = canLoginAsCustomer(
        input({ settings: settingsWith({ storefronts: [] }), storefront: undefined })
      )
      expect(code(result)).toBe("storefront_not_found")
    })
  })

  describe("consent modes", () => {
    it.each(CONSENT_MODES)("%s: a customer with consent may be assisted", (consent_mode) => {
      expect(canLoginAsCustomer(input({ settings: settingsWith({ consent_mode }) })).allowed).toBe(true)
    })

    it("not_required: consent missing, withdrawn or expired does not matter", () => {
      const settings = settingsWith({ consent_mode: "not_required" })
      for (const consent of [
        null,
        { allowed: false, expires_at: null },
        { allowed: true, expires_at: "2020-01-01T00:00:00Z" },
      ]) {
        expect(canLoginAsCustomer(input({ settings, consent })).allowed).toBe(true)
      }
    })

    it.each(["customer_or_admin", "customer_only"] as const)(
      "%s: consent missing, withdrawn or expired denies",
      (consent_mode) => {
        const settings = settingsWith({ consent_mode })
        expect(code(canLoginAsCustomer(input({ settings, consent: null })))).toBe("assistance_not_allowed")
        expect(
          code(canLoginAsCustomer(input({ settings, consent: { allowed: false, expires_at: null } })))
        ).toBe("assistance_not_allowed")
        expect(
          code(
            canLoginAsCustomer(
              input({ settings, consent: { allowed: true, expires_at: "2020-01-01T00:00:00Z" } })
            )
          )
        ).toBe("assistance_expired")
      }
    )
  })

  it("reports the first failing rule when several fail, in a fixed order", () => {
    const everythingWrong = input({
      settings: settingsWith({ enabled: false, require_reason: true, store_selection: "manual", storefronts: [] }),
      admin: { id: "user_1", can_login: false },
      customer: null,
      consent: null,
    })
    expect(code(canLoginAsCustomer(everythingWrong))).toBe("feature_disabled")
    expect(
      code(canLoginAsCustomer({ ...everythingWrong, settings: { ...everythingWrong.settings, enabled: true } }))
    ).toBe("permission_denied")
    expect(
      code(
        canLoginAsCustomer({
          ...everythingWrong,
          settings: { ...everythingWrong.settings, enabled: true },
          admin: { id: "user_1", can_login: true },
        })
      )
    ).toBe("customer_not_found")
  })

  it("treats non-boolean truthy values as no (deny by default)", () => {
    const loose = input({
      admin: { id: "user_1", can_login: "yes" as never },
    })
    expect(code(canLoginAsCustomer(loose))).toBe("permission_denied")
    expect(
      code(canLoginAsCustomer(input({ settings: settingsWith({ enabled: 1 as never }) })))
    ).toBe("feature_disabled")
    expect(
      code(canLoginAsCustomer(input({ consent: { allowed: "true" as never, expires_at: null } })))
    ).toBe("assistance_not_allowed")
  })
})
