import type { SettingsDTO } from "../../types"
import { deny } from "./decision"

export type ConsentChangeFacts = {
  /** Who makes the change: the customer, or an admin (in the admin, or logged in as the customer). */
  actor: "customer" | "user"
  /** The change is made from inside an impersonation session, by its admin. */
  in_session: boolean
  /** The consent asked for: given (true) or withdrawn. */
  allowed: boolean
  settings: Pick<SettingsDTO, "consent_mode" | "restricted_actions">
}

export type ConsentChangeCode = "restricted_while_impersonating" | "consent_by_customer_only"

/**
 * Whether a consent change may be made. Pure, deny by default: the customer
 * may always change their own; inside an impersonation session only when the
 * settings don't restrict `change_remote_assistance` (the default does), and
 * then it is the admin's change; an admin may always withdraw it, and give it
 * unless the consent mode is `customer_only`.
 */
export function canChangeConsent(facts: ConsentChangeFacts): { allowed: true } | { allowed: false; code: ConsentChangeCode } {
  if (facts.in_session && (facts.actor !== "user" || facts.settings.restricted_actions.includes("change_remote_assistance"))) {
    return deny("restricted_while_impersonating")
  }
  if (facts.actor === "customer") {
    return { allowed: true }
  }
  // Withdrawing is always the admin's to do; giving only where the mode lets an admin give it.
  const adminMayGive = facts.settings.consent_mode === "customer_or_admin" || facts.settings.consent_mode === "not_required"
  if (facts.actor !== "user" || (facts.allowed !== false && !adminMayGive)) {
    return deny("consent_by_customer_only")
  }
  return { allowed: true }
}
