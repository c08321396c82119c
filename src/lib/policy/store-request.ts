import type { RestrictableAction, SessionMode, SettingsDTO } from "../../types"
import { deny } from "./decision"

/** Everything a store or auth request in an impersonation session is decided on. */
export type StoreRequestFacts = {
  method: string
  session: { mode: SessionMode }
  settings: Pick<SettingsDTO, "restricted_actions">
  /** The request ends the impersonation session (allowed in every mode). */
  ends_session: boolean
  /** A route no impersonation session may use, whatever the method. */
  always_refused: boolean
  /** Restrictable actions the routes say the request performs. */
  actions: readonly RestrictableAction[]
  /** The contact email the request sets on a cart, when it sets one. */
  cart_email: { value: unknown } | null
  /** The customer's own email (read when a cart email is set). */
  customer_email: string | null | undefined
  /** Whose the cart the request acts on is; null when it names none. */
  cart_owner: "none" | "customer" | "foreign" | null
  /** The request only reads the cart it names (a price calculation), even with a changing method. */
  cart_read_only: boolean
}

export const MUTATING = ["POST", "PUT", "PATCH", "DELETE"] as const

export function isMutating(method: string): boolean {
  return (MUTATING as readonly string[]).includes(method.toUpperCase())
}

/** Case and surrounding spaces aside, the same address. */
export function sameEmail(a: unknown, b: unknown): boolean {
  return typeof a === "string" && typeof b === "string" && a.trim().toLowerCase() === b.trim().toLowerCase()
}

/** What a refused restricted action is called in a refusal's message (its code follows in brackets). */
const RESTRICTED_ACTION_WORDS: Record<RestrictableAction, string> = {
  change_email: "changing the email address",
  change_password: "changing the password",
  change_remote_assistance: "changing the consent to remote shopping assistance",
  manage_auth_identities: "changing how the customer signs in",
  update_profile: "editing the profile",
  manage_addresses: "editing addresses",
  place_order: "placing an order",
}

export type StoreRequestCode = "read_only_session" | "restricted_while_impersonating"

export type StoreRequestDecision =
  | {
      allowed: true
      /**
       * The allowed change is to the customer's own cart: the cart is marked
       * as the session's before the change, so the order it becomes is
       * attributed to the session even when this very request completes it.
       */
      marks_cart?: boolean
    }
  | {
      allowed: false
      code: StoreRequestCode
      message: string
      /** The restricted actions the request was refused for, when a restriction refused it. */
      restricted_actions?: RestrictableAction[]
    }

const refuse = (code: StoreRequestCode, message: string, restricted_actions?: RestrictableAction[]): StoreRequestDecision => ({
  ...deny(code),
  message,
  ...(restricted_actions ? { restricted_actions } : {}),
})

/** The restrictable actions a request performs that the settings restrict. */
export function restrictedActionsOf(facts: Pick<StoreRequestFacts, "actions" | "cart_email" | "customer_email" | "settings">) {
  const actions = [...facts.actions]
  // The cart's contact email is where the order confirmation goes: another address is change_email.
  if (facts.cart_email && !actions.includes("change_email") && !sameEmail(facts.cart_email.value, facts.customer_email)) {
    actions.push("change_email")
  }
  return actions.filter((action) => facts.settings.restricted_actions.includes(action))
}

/**
 * Whether a store or auth request may go on in an impersonation session.
 * Pure, deny by default, in this order: ending the session is always
 * allowed; a change is refused in a read-only session; a route no session
 * may use is refused; a read (GET, HEAD, OPTIONS) may go on unless it names
 * a cart that is not the customer's; a change is refused for a restricted
 * action and on a cart that is not the customer's (a guest cart left in the
 * browser would be merged into the account). An allowed change to the
 * customer's own cart `marks_cart`.
 */
export function canMakeStoreRequest(facts: StoreRequestFacts): StoreRequestDecision {
  if (facts.ends_session) {
    return { allowed: true }
  }
  const foreignCart = refuse(
    "restricted_while_impersonating",
    "Not allowed while logged in as a customer: the cart is not the customer's"
  )
  const mutating = isMutating(facts.method)
  if (mutating && facts.session.mode !== "full") {
    return refuse("read_only_session", "This Login as Customer session is read-only")
  }
  if (facts.always_refused) {
    return refuse("restricted_while_impersonating", "Not allowed while logged in as a customer")
  }
  if (!mutating) {
    return facts.cart_owner === "foreign" ? foreignCart : { allowed: true }
  }
  const restricted = restrictedActionsOf(facts)
  if (restricted.length) {
    const named = restricted.map((action) => `${RESTRICTED_ACTION_WORDS[action]} (${action})`).join(", ")
    return refuse("restricted_while_impersonating", `Not allowed while logged in as a customer: ${named}`, restricted)
  }
  if (facts.cart_owner === "foreign") {
    return foreignCart
  }
  return { allowed: true, marks_cart: facts.cart_owner === "customer" && !facts.cart_read_only }
}
