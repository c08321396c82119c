import { MedusaError } from "@medusajs/framework/utils"
import type { DenialCode } from "../types"

/** A refusal of Login as Customer as the HTTP error it is answered with: its status, its words, its code. */

const ERROR_TYPES: Record<DenialCode, string> = {
  feature_disabled: MedusaError.Types.FORBIDDEN,
  permission_denied: MedusaError.Types.FORBIDDEN,
  customer_not_found: MedusaError.Types.NOT_FOUND,
  customer_has_no_account: MedusaError.Types.NOT_ALLOWED,
  assistance_not_allowed: MedusaError.Types.FORBIDDEN,
  assistance_expired: MedusaError.Types.FORBIDDEN,
  storefront_required: MedusaError.Types.INVALID_DATA,
  storefront_not_found: MedusaError.Types.INVALID_DATA,
  storefront_origin_not_allowed: MedusaError.Types.FORBIDDEN,
  reason_required: MedusaError.Types.INVALID_DATA,
}

export const DENIAL_MESSAGES: Record<DenialCode, string> = {
  feature_disabled: "Login as Customer is disabled in the settings",
  permission_denied: "You are not allowed to log in as customers",
  customer_not_found: "Customer not found",
  customer_has_no_account: "This customer has no account to log in to (guest customer)",
  assistance_not_allowed: "The customer has not allowed remote shopping assistance",
  assistance_expired: "The customer's consent to remote shopping assistance has expired",
  storefront_required: "Choose the storefront to log in to",
  storefront_not_found: "No such storefront is configured for Login as Customer",
  storefront_origin_not_allowed:
    "This storefront's login URL is not at an allowed storefront origin (storefront_origins in the plugin options): no ticket is sent there",
  reason_required: "A reason (e.g. a ticket reference) is required to log in as a customer",
}

/** The denial as an HTTP error with its code. */
export function denialError(code: DenialCode): MedusaError {
  return new MedusaError(ERROR_TYPES[code], DENIAL_MESSAGES[code], code)
}
