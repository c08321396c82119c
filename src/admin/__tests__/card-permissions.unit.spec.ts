import en from "../i18n/en.json"
import { cardShown, denialText } from "../components/login-as-customer-text"

/** i18next's t over en.json, enough for these texts. */
const t = ((key: string) => {
  const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], en)
  return typeof value === "string" ? value : key
}) as never

const consent = { allowed: false, active: false, expires_at: null, updated_by_type: null, updated_at: null } as never

describe("the customer page's Login as Customer bar and card, by the admin's permissions", () => {
  it("show to admins who may log in or view the log, and to nobody else", () => {
    expect(cardShown({ can_login: true, can_view_log: true })).toBe(true)
    expect(cardShown({ can_login: true, can_view_log: false })).toBe(true)
    // May view the log only: the status, who is helping, the log link, the button off.
    expect(cardShown({ can_login: false, can_view_log: true })).toBe(true)
    expect(cardShown({ can_login: false, can_view_log: false })).toBe(false)
  })

  it("tell an admin without the permission that, before anything else that also stops them", () => {
    const noPermission = "You don't have permission to log in as customers."
    expect(denialText(t, { reason: "feature_disabled", remote_assistance: consent, permissions: { can_login: false } })).toBe(noPermission)
    expect(denialText(t, { reason: "assistance_not_allowed", remote_assistance: consent, permissions: { can_login: false } })).toBe(noPermission)
    expect(denialText(t, { reason: "assistance_not_allowed", remote_assistance: consent, permissions: { can_login: true } })).toBe(
      "The customer hasn't allowed remote shopping assistance."
    )
  })
})
