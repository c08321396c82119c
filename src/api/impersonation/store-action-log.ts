import type { MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, generateEntityId, Modules } from "@medusajs/framework/utils"
import { LoginAsCustomerEvents, type StoreActionEventData } from "../../types"
import { recordStoreActionWorkflow } from "../../workflows/session/workflows/record-store-action"
import { MEDUSA_ID as ID } from "../utils/schemas"
import type { GuardedRequest, Impersonation } from "./types"

// A name a route takes as a parameter: an auth provider (`emailpass`), a handle.
const NAME = /^[a-z0-9_-]{1,40}$/

/** Ids a request touched: in its path, the cart it acts on, and of the objects its response returned. */
export function resourceIds(path: string, body: unknown, cartId?: string | null): string[] {
  const ids = new Set(path.split("/").filter((segment) => ID.test(segment)))
  if (cartId && ID.test(cartId)) ids.add(cartId)
  if (body && typeof body === "object") {
    for (const value of Object.values(body as Record<string, unknown>)) {
      const id = (value as { id?: unknown } | null)?.id
      if (typeof id === "string" && ID.test(id)) ids.add(id)
    }
  }
  return Array.from(ids)
}

/**
 * The path a store action's line records: the request's, with each segment
 * its route names as a parameter (`:address_id`) kept only when it is an id
 * or a lower-case name (`emailpass` in `/auth/customer/:auth_provider/…`),
 * otherwise the parameter's name. A segment there that is no id found
 * nothing, and is whatever text the admin put in the address bar (a cold
 * review put an email there); the line would keep it after the customer's
 * erasure, which clears only the fields it knows to be personal.
 */
export function loggedPath(path: string, route: string): string {
  const names = route.split("/")
  return path
    .split("/")
    .map((segment, i) => (names[i]?.startsWith(":") && !ID.test(segment) && !NAME.test(segment) ? names[i] : segment))
    .join("/")
}

export function logError(req: GuardedRequest, message: string) {
  req.scope.resolve(ContainerRegistrationKeys.LOGGER).error(`Login as Customer: ${message}`)
}

type StoreAction = Pick<StoreActionEventData, "status" | "resource_ids" | "outcome" | "code" | "restricted_actions" | "order_id" | "order_created"> & {
  route?: string
}

/**
 * Writes a store action's log line (retried for a while if the database is
 * unreachable) through the same log step as every other event, then emits
 * `login_as_customer.store_action`. Only the line decides the answer: a
 * failed emit is logged, since the action itself already happened.
 */
export async function logStoreAction(req: GuardedRequest, impersonation: Impersonation, action: StoreAction) {
  const route = action.route ?? impersonation.rule_route?.route ?? impersonation.path
  const event: StoreActionEventData = {
    event_id: generateEntityId(undefined, "lacev"),
    session_id: impersonation.session.id,
    user_id: impersonation.session.user_id,
    customer_id: impersonation.session.customer_id,
    method: req.method.toUpperCase(),
    // The session's reason (a ticket reference) and mode, so every line of the session answers a search for it.
    reason: impersonation.session.reason ?? null,
    mode: impersonation.session.mode,
    ...action,
    route,
    path: loggedPath(impersonation.path, route),
    requested_at: impersonation.requested_at,
  }
  await recordStoreActionWorkflow(req.scope).run({ input: event })
  void req.scope
    .resolve(Modules.EVENT_BUS)
    .emit({ name: LoginAsCustomerEvents.STORE_ACTION, data: event })
    .catch((error: unknown) => logError(req, `could not emit a store action: ${(error as Error).message}`))
}

/**
 * Refuses a request of an impersonation session with 403 and the code, logged
 * as refused (with the restricted actions it was refused for, if any).
 */
export async function refuseImpersonatedAction(
  request: GuardedRequest,
  res: MedusaResponse,
  code: string,
  message: string,
  restrictedActions?: readonly string[]
) {
  const impersonation = request.login_as_customer!
  impersonation.refused = true
  // A refusal changes nothing: it is answered even if its line can't be written.
  await logStoreAction(request, impersonation, {
    status: 403,
    resource_ids: resourceIds(impersonation.path, null, impersonation.facts.cart_id),
    outcome: "refused",
    code,
    ...(restrictedActions?.length ? { restricted_actions: [...restrictedActions] } : {}),
  }).catch((error: unknown) => logError(request, `could not log a refused action: ${(error as Error).message}`))
  res.status(403).json({ type: "not_allowed", code, message })
}
