import type { RestrictableAction } from "../types"
import { MUTATING } from "./policy/store-request"

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")

/**
 * A route path (literal and `:param` segments) compiled the way Express 4
 * compiles a route's path (path-to-regexp 0.1: case-insensitive, optional
 * trailing slash, a parameter is one segment). With `prefix`, it also matches
 * the paths below, as `app.use` does. Given to Medusa as a middleware
 * matcher, Express itself tests it against the path it routes, so a rule and
 * the route it guards can't disagree about what a request target means.
 */
export function routeMatcher(route: string, { prefix = false } = {}): RegExp {
  const body = route
    .split("/")
    .slice(1)
    .map((segment) => (segment.startsWith(":") ? "(?:\\/([^/]+?))" : `\\/${escapeRegExp(segment)}`))
    .join("")
  return new RegExp(`^${body}${prefix ? "\\/?(?=\\/|$)" : "\\/?$"}`, "i")
}

/** What the routes a request reaches say about it, for an impersonation session (see `canMakeStoreRequest`). */
export type RouteFacts = {
  /** Restrictable actions the request performs. */
  actions: RestrictableAction[]
  /** A route no impersonation session may use. */
  always_refused: boolean
  /** The cart the request acts on (`/store/carts/:id…`, a body's `cart_id`), as Express decoded it. */
  cart_id: string | null
  /** The request only reads the cart (a price calculation): not a change to attribute. */
  cart_read_only: boolean
  /** The payment collection the request acts on; its cart is looked up before the decision. */
  payment_collection_id: string | null
  /** The request makes a new cart. */
  creates_cart: boolean
  /** The contact email the request sets on a cart, when its body has one. */
  cart_email: { value: unknown } | null
  /** The request ends the impersonation session (allowed in every mode). */
  ends_session: boolean
}

export const emptyRouteFacts = (): RouteFacts => ({
  actions: [],
  always_refused: false,
  cart_id: null,
  cart_read_only: false,
  payment_collection_id: null,
  creates_cart: false,
  cart_email: null,
  ends_session: false,
})

export type RouteRule = {
  /** Express route path: literal and `:param` segments. */
  route: string
  /** Also the paths below `route`. */
  prefix?: boolean
  methods: readonly string[]
  /** Adds what this route means to the request's facts; `params` are the route's parameters in order. */
  apply: (facts: RouteFacts, params: string[], body: unknown, query: unknown) => void
}

const hasField = (body: unknown, field: string) =>
  !!body && typeof body === "object" && Object.prototype.hasOwnProperty.call(body, field)

const action =
  (name: RestrictableAction, when: (body: unknown) => boolean = () => true) =>
  (facts: RouteFacts, _params: string[], body: unknown) => {
    if (when(body) && !facts.actions.includes(name)) facts.actions.push(name)
  }

const alwaysRefused = (facts: RouteFacts) => {
  facts.always_refused = true
}

/** The `cart_id` a request body or query names, if it names one as a string. */
const bodyCartId = (body: unknown): string | null =>
  hasField(body, "cart_id") && typeof (body as { cart_id: unknown }).cart_id === "string"
    ? (body as { cart_id: string }).cart_id
    : null

const setsCartEmail = (facts: RouteFacts, _params: string[], body: unknown) => {
  if (hasField(body, "email")) facts.cart_email = { value: (body as { email: unknown }).email }
}

/**
 * The store and auth routes that matter to an impersonation session, each
 * hung by `src/api/impersonation/middlewares.ts` on its own route-scoped
 * matcher (so Express does the matching), in this order, before Medusa's own
 * middlewares and handlers for the route.
 */
export const ROUTE_RULES: RouteRule[] = [
  // Requests that would outlive or escape the session's checks, or bring in
  // what isn't the customer's: turning the token into a cookie session,
  // refreshing it, transferring a cart (a guest cart of whoever used the
  // browser before must never merge into the customer's account).
  { route: "/auth/session", methods: MUTATING, apply: alwaysRefused },
  { route: "/auth/token/refresh", methods: MUTATING, apply: alwaysRefused },
  // Email verification and multi-factor enrolment of the auth identity: an
  // impersonation token has none of its own, and both are the customer's.
  { route: "/auth/verification", prefix: true, methods: MUTATING, apply: alwaysRefused },
  // Reading the multi-factor setup too (factors, recovery codes).
  { route: "/auth/mfa", prefix: true, methods: ["GET", ...MUTATING], apply: alwaysRefused },
  // Moving an order to or from another account (Medusa's order transfer).
  { route: "/store/orders/:id/transfer", prefix: true, methods: MUTATING, apply: alwaysRefused },
  { route: "/store/carts/:id/customer", methods: MUTATING, apply: alwaysRefused },

  { route: "/store/customers/me", methods: ["POST"], apply: action("change_email", (body) => hasField(body, "email")) },
  { route: "/store/customers/me", methods: ["POST"], apply: action("update_profile") },
  { route: "/auth/customer/:auth_provider/update", methods: MUTATING, apply: action("change_password") },
  { route: "/auth/customer/:auth_provider/reset-password", methods: MUTATING, apply: action("change_password") },
  { route: "/store/customers/me/remote-assistance", methods: MUTATING, apply: action("change_remote_assistance") },
  { route: "/auth/customer", prefix: true, methods: MUTATING, apply: action("manage_auth_identities") },
  { route: "/store/customers/me/addresses", prefix: true, methods: MUTATING, apply: action("manage_addresses") },
  { route: "/store/carts/:id/complete", methods: ["POST"], apply: action("place_order") },

  // The cart's contact email is where the order confirmation goes: another
  // address than the customer's own is `change_email`.
  { route: "/store/carts", methods: ["POST"], apply: setsCartEmail },
  { route: "/store/carts/:id", methods: ["POST"], apply: setsCartEmail },
  {
    route: "/store/carts",
    methods: ["POST"],
    apply: (facts) => {
      facts.creates_cart = true
    },
  },
  // Reading a cart too: another customer's or a guest's cart is not the session's to see.
  {
    route: "/store/carts/:id",
    prefix: true,
    methods: ["GET", ...MUTATING],
    apply: (facts, [id]) => {
      facts.cart_id = id ?? null
    },
  },

  // Routes that act on a cart named another way than by its path: the
  // body's or query's `cart_id`, or the payment collection a cart has. The same
  // foreign-cart rule and attribution apply as on /store/carts/:id.
  {
    route: "/store/payment-collections",
    methods: ["POST"],
    apply: (facts, _params, body) => {
      facts.cart_id = bodyCartId(body)
    },
  },
  {
    route: "/store/payment-collections/:id",
    prefix: true,
    methods: MUTATING,
    apply: (facts, [id]) => {
      facts.payment_collection_id = id ?? null
    },
  },
  {
    route: "/store/shipping-options",
    methods: ["GET"],
    apply: (facts, _params, _body, query) => {
      facts.cart_id = bodyCartId(query)
      facts.cart_read_only = true
    },
  },
  {
    route: "/store/shipping-options/:id/calculate",
    methods: ["POST"],
    apply: (facts, _params, body) => {
      facts.cart_id = bodyCartId(body)
      facts.cart_read_only = true
    },
  },

  {
    route: "/store/login-as-customer/session",
    methods: ["DELETE"],
    apply: (facts) => {
      facts.ends_session = true
    },
  },
]
