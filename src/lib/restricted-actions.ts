import { Modules } from "@medusajs/framework/utils"
import type { RestrictableAction } from "../types"

type Rule = {
  action: RestrictableAction
  methods: string[] | "*"
  pattern: RegExp
  when?: (body: unknown) => boolean
}

const MUTATING = ["POST", "PUT", "PATCH", "DELETE"]

const hasField = (field: string) => (body: unknown) =>
  !!body && typeof body === "object" && Object.prototype.hasOwnProperty.call(body, field)

/**
 * Store and auth requests that each restrictable action covers. Express
 * matches paths case-insensitively, so these do too.
 */
const RULES: Rule[] = [
  { action: "change_email", methods: ["POST"], pattern: /^\/store\/customers\/me$/i, when: hasField("email") },
  { action: "update_profile", methods: ["POST"], pattern: /^\/store\/customers\/me$/i },
  {
    action: "change_password",
    methods: MUTATING,
    pattern: /^\/auth\/customer\/[^/]+\/(update|reset-password)$/i,
  },
  {
    action: "change_remote_assistance",
    methods: MUTATING,
    pattern: /^\/store\/customers\/me\/remote-assistance$/i,
  },
  { action: "manage_auth_identities", methods: MUTATING, pattern: /^\/auth\/customer(\/.*)?$/i },
  { action: "manage_addresses", methods: MUTATING, pattern: /^\/store\/customers\/me\/addresses(\/.*)?$/i },
  { action: "place_order", methods: ["POST"], pattern: /^\/store\/carts\/[^/]+\/complete$/i },
]

/** `/store//customers/me/?x=1` → `/store/customers/me`: the shape routes match on. */
export function normalizePath(url: string): string {
  const path = url.split("?")[0].split("#")[0].replace(/\/{2,}/g, "/")
  return path.length > 1 ? path.replace(/\/+$/, "") : path
}

export function isMutating(method: string): boolean {
  return MUTATING.includes(method.toUpperCase())
}

/** The restrictable actions a request would perform. */
export function matchRestrictedActions(
  method: string,
  path: string,
  body: unknown
): RestrictableAction[] {
  const upper = method.toUpperCase()
  return RULES.filter(
    (rule) =>
      (rule.methods === "*" || rule.methods.includes(upper)) &&
      rule.pattern.test(path) &&
      (!rule.when || rule.when(body))
  ).map((rule) => rule.action)
}

const CART_PATH = /^\/store\/carts\/([^/]+)(?:\/|$)/i

/** The cart a request to `/store/carts/:id/…` acts on, or null. */
export function cartOf(path: string): string | null {
  const id = CART_PATH.exec(path)?.[1]
  if (!id) {
    return null
  }
  try {
    return decodeURIComponent(id)
  } catch {
    return null
  }
}

type CartReader = {
  resolve: (key: string) => { listCarts: (filter: { id: string }, config: { select: string[] }) => Promise<Array<{ customer_id?: string | null }>> }
}

/**
 * Whether a cart exists and is not the customer's: a guest's cart (left in
 * the browser by its previous visitor) or another customer's. While
 * impersonating, such a cart must not be changed: Medusa hands a guest cart to
 * the registered customer whose email is set on it, so an update would merge
 * a stranger's cart into the account. A cart that doesn't exist is left to
 * Medusa's own 404.
 */
export async function isForeignCart(scope: CartReader, cartId: string, customerId: string): Promise<boolean> {
  const [cart] = await scope.resolve(Modules.CART).listCarts({ id: cartId }, { select: ["id", "customer_id"] })
  return !!cart && cart.customer_id !== customerId
}
