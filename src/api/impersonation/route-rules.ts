import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import { Modules } from "@medusajs/framework/utils"
import {
  cartOfPaymentCollection,
  cartOwnership,
  MUTATING,
  ROUTE_RULES,
  RouteRule,
  routeMatcher,
  sameEmail,
} from "../../lib/restricted-actions"
import { GuardedRequest, markCart, recordImpersonatedAction, refuseImpersonatedAction } from "./guard"

/**
 * Adds what its route means to the facts of a request in an impersonation
 * session. Express ran it because the request's path matched the rule's
 * route, exactly as Express matches the route itself.
 */
function collectFacts(rule: RouteRule) {
  return function loginAsCustomerRouteFacts(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
    const impersonation = (req as GuardedRequest).login_as_customer
    if (impersonation) {
      // A regular-expression matcher gives its groups as params 0, 1, … decoded by Express.
      const params = Object.keys(req.params ?? {})
        .sort((a, b) => Number(a) - Number(b))
        .map((key) => (req.params as Record<string, string>)[key])
      rule.apply(impersonation.facts, params, req.body)
    }
    next()
  }
}

/**
 * Decides a mutating request of an impersonation session on the facts its
 * routes gave: read-only sessions change nothing (but may end), always-refused
 * routes and restricted actions are refused, only the customer's own carts
 * may be changed, a cart about to change is marked as the session's before
 * the change, and what goes through is logged before its answer leaves.
 * Ending the session is logged by the end itself.
 */
async function enforceImpersonationRules(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const request = req as GuardedRequest
  const impersonation = request.login_as_customer
  if (!impersonation || impersonation.decided) {
    return next()
  }
  impersonation.decided = true
  const { facts, session, settings } = impersonation

  if (facts.ends_session) {
    return next()
  }
  if (session.mode === "read_only") {
    return refuseImpersonatedAction(request, res, "read_only_session", "This Login as Customer session is read-only")
  }
  if (facts.always_refused) {
    return refuseImpersonatedAction(request, res, "restricted_while_impersonating", "Not allowed while logged in as a customer")
  }
  const actions = [...facts.actions]
  if (facts.cart_email && !actions.includes("change_email") && settings.restricted_actions.includes("change_email")) {
    const [customer] = await req.scope
      .resolve(Modules.CUSTOMER)
      .listCustomers({ id: session.customer_id }, { select: ["id", "email"] })
    if (!sameEmail(facts.cart_email.value, customer?.email)) {
      actions.push("change_email")
    }
  }
  const restricted = actions.filter((action) => settings.restricted_actions.includes(action))
  if (restricted.length) {
    return refuseImpersonatedAction(
      request,
      res,
      "restricted_while_impersonating",
      `Not allowed while logged in as a customer: ${restricted.join(", ")}`
    )
  }

  if (!facts.cart_id && facts.payment_collection_id) {
    facts.cart_id = await cartOfPaymentCollection(req.scope, facts.payment_collection_id)
  }
  if (facts.cart_id) {
    // Only the customer's own carts: a guest cart left in the browser (or any
    // other) would be merged into the account or marked as the session's.
    const owner = await cartOwnership(req.scope, facts.cart_id, session.customer_id)
    if (owner === "foreign") {
      return refuseImpersonatedAction(
        request,
        res,
        "restricted_while_impersonating",
        "Not allowed while logged in as a customer: the cart is not the customer's"
      )
    }
    // A cart changed in the session is marked before the change, so the
    // order it becomes is attributed even when this very request completes it.
    if (owner === "customer" && !facts.cart_read_only) {
      impersonation.marked_cart = (await markCart(request, facts.cart_id, session)) ? facts.cart_id : null
    }
  }
  recordImpersonatedAction(request, res)
  next()
}

const NAMESPACES = [routeMatcher("/store", { prefix: true }), routeMatcher("/auth", { prefix: true })]

/**
 * The rules of `ROUTE_RULES`, each on its own route-scoped matcher, then the
 * decision on every mutating store and auth request. Regular-expression
 * matchers are run by Medusa in the order given, after the method-less
 * (global) middlewares such as the guard, and before every string-matched
 * route's middlewares and handler.
 */
export const impersonationRouteRules: MiddlewareRoute[] = [
  ...ROUTE_RULES.map((rule) => ({
    matcher: routeMatcher(rule.route, { prefix: rule.prefix }),
    methods: [...rule.methods] as MiddlewareRoute["methods"],
    middlewares: [collectFacts(rule)],
  })),
  ...NAMESPACES.map((matcher) => ({
    matcher,
    methods: [...MUTATING] as MiddlewareRoute["methods"],
    middlewares: [enforceImpersonationRules],
  })),
]
