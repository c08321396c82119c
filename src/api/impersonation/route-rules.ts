import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import { MUTATING } from "../../lib/policy"
import { ROUTE_RULES, RouteRule, routeMatcher } from "../../lib/restricted-actions"
import { enforceStoreRequestPolicy } from "./decide"
import type { GuardedRequest } from "./types"

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
      rule.apply(impersonation.facts, params, req.body, req.query)
      if (!impersonation.rule_route || (impersonation.rule_route.prefix && !rule.prefix)) {
        impersonation.rule_route = { route: rule.route, prefix: !!rule.prefix }
      }
    }
    next()
  }
}

const NAMESPACES = [routeMatcher("/store", { prefix: true }), routeMatcher("/auth", { prefix: true })]

/**
 * The rules of `ROUTE_RULES`, each on its own route-scoped matcher, then the
 * decision (`canMakeStoreRequest`) on every store and auth request but
 * OPTIONS (GET also serves HEAD). Regular-expression matchers are run by Medusa in the order given, after the method-less
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
    methods: ["GET", ...MUTATING] as MiddlewareRoute["methods"],
    middlewares: [enforceStoreRequestPolicy],
  })),
]
