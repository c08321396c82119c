import type { DenialCode, SettingsDTO, StorefrontDTO } from "../../types"
import { isAllowedLoginUrl } from "../storefront-origins"
import { deny } from "./decision"
import { isConsentActive } from "./states"

export type CanLoginInput = {
  /** The acting admin and what the permission check granted; null when unknown. */
  admin: { id: string; can_login: boolean } | null
  /** The customer, or null when no such customer exists. */
  customer: { id: string; has_account: boolean } | null
  /** The customer's consent record, or null when never given. */
  consent: { allowed: boolean; expires_at: Date | string | null } | null
  settings: Pick<
    SettingsDTO,
    "enabled" | "consent_mode" | "require_reason" | "store_selection" | "storefronts"
  >
  /**
   * The storefront asked for: an explicit id (manual selection) and/or the
   * sales channel of the context (e.g. the order's). `undefined` means "not
   * chosen yet" (previewing whether the button can be used).
   */
  storefront?: { id?: string | null; sales_channel_id?: string | null }
  reason?: string | null
  /**
   * The storefront origins tickets may be sent to, fixed at deploy time
   * (getStorefrontOrigins): a storefront elsewhere is refused.
   */
  allowed_origins: readonly string[]
  now: Date
}

export type CanLoginResult =
  | { allowed: true; storefront: StorefrontDTO | null }
  | { allowed: false; code: DenialCode }

/**
 * The first rules of a start, which need neither the customer nor the
 * storefront: the feature is on and the admin holds the permission. The start
 * route asks this before Medusa's RBAC check would refuse without a trace.
 */
export function canRequestLogin({
  settings,
  admin,
}: {
  settings: Pick<SettingsDTO, "enabled">
  admin: { can_login: boolean } | null
}): { allowed: true } | { allowed: false; code: DenialCode } {
  if (settings?.enabled !== true) {
    return deny("feature_disabled")
  }
  if (!admin || admin.can_login !== true) {
    return deny("permission_denied")
  }
  return { allowed: true }
}

/**
 * Characters that show nothing: white space, format characters (zero-width
 * space and joiners, word joiner, byte-order mark, soft hyphen, direction
 * marks, …), the other default-ignorable code points (variation selectors,
 * the combining grapheme joiner, …), combining marks with nothing to combine
 * with once the rest is gone, and the blank letters some scripts have.
 */
const INVISIBLE = /[\s\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}\u115F\u1160\u3164\uFFA0\u2800]/gu

/** Whether a text shows nothing: empty, or made only of invisible characters. */
export function isBlankText(text: string | null | undefined): boolean {
  return !text || !text.replace(INVISIBLE, "")
}

/**
 * The one decision on whether an admin may start a session as a customer. Pure: no I/O,
 * deny by default, checks in a fixed order so the first failing rule names the
 * reason. Routes and widgets ask this function; nothing else decides.
 */
export function canLoginAsCustomer({
  admin,
  customer,
  consent,
  settings,
  storefront,
  reason,
  allowed_origins,
  now,
}: CanLoginInput): CanLoginResult {
  const requested = canRequestLogin({ settings, admin })
  if (!requested.allowed) {
    return requested
  }
  if (!customer) {
    return deny("customer_not_found")
  }
  if (customer.has_account !== true) {
    return deny("customer_has_no_account")
  }
  if (settings.consent_mode !== "not_required") {
    if (!consent || consent.allowed !== true) {
      return deny("assistance_not_allowed")
    }
    if (!isConsentActive(consent, now)) {
      return deny("assistance_expired")
    }
  }
  const previewing = storefront === undefined
  if (!previewing && settings.require_reason && isBlankText(reason)) {
    return deny("reason_required")
  }
  const storefronts = Array.isArray(settings.storefronts) ? settings.storefronts : []
  // A stored login_url whose origin is no longer allowed gets no ticket.
  const origins = Array.isArray(allowed_origins) ? allowed_origins : []
  if (previewing) {
    if (!storefronts.length) {
      return deny("storefront_not_found")
    }
    // The button is only offered when some storefront can receive a ticket.
    return storefronts.some((s) => isAllowedLoginUrl(s.login_url, origins))
      ? { allowed: true, storefront: storefronts.length === 1 ? storefronts[0] : null }
      : deny("storefront_origin_not_allowed")
  }
  const send = (chosen: StorefrontDTO | undefined): CanLoginResult =>
    !chosen
      ? deny("storefront_not_found")
      : isAllowedLoginUrl(chosen.login_url, origins)
        ? { allowed: true, storefront: chosen }
        : deny("storefront_origin_not_allowed")
  if (settings.store_selection === "manual") {
    if (!storefront.id) {
      return deny("storefront_required")
    }
    return send(storefronts.find((s) => s.id === storefront.id))
  }
  if (storefront.id) {
    return send(storefronts.find((s) => s.id === storefront.id))
  }
  const bySalesChannel = storefront.sales_channel_id
    ? storefronts.find((s) => s.sales_channel_id === storefront.sales_channel_id)
    : undefined
  return send(bySalesChannel ?? storefronts[0])
}
