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
