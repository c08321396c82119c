import type { MedusaContainer } from "@medusajs/framework/types"
import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { startCartCompletion } from "../../lib/cart-completion"
import { canMakeStoreRequest, isMutating, StoreRequestFacts } from "../../lib/policy"
import { holdAnswerUntilLogged, markCart } from "./hold-answer"
import { logError, refuseImpersonatedAction } from "./store-action-log"
import type { GuardedRequest, Impersonation } from "./types"

/**
 * A body's or query's id that holds a NUL character names no row (PostgreSQL
 * text can't hold one), and a query for it fails: it is never looked up.
 */
const NAMES_NO_ROW = /\u0000/

const COMPLETION_NOT_NOTED =
  "The cart's completion could not be noted in the Login as Customer log, so it was not run. Try again later."

/** The cart a payment collection belongs to (the cart ↔ payment collection link), or null. */
async function cartOfPaymentCollection(scope: MedusaContainer, paymentCollectionId: string): Promise<string | null> {
  const { data } = await scope.resolve("query").graph({
    entity: "cart_payment_collection",
    fields: ["cart_id"],
    filters: { payment_collection_id: paymentCollectionId },
  })
  return (data[0] as { cart_id?: string | null } | undefined)?.cart_id ?? null
}

/**
 * Whose a cart is: `"none"` when it doesn't exist (left to Medusa's own 404),
 * `"customer"` when it is the session customer's, `"foreign"` for a guest's
 * cart (left in the browser by its previous visitor) or another customer's.
 */
async function cartOwner(scope: MedusaContainer, cartId: string, customerId: string): Promise<"none" | "customer" | "foreign"> {
  const [cart] = await scope.resolve(Modules.CART).listCarts({ id: cartId }, { select: ["id", "customer_id"] })
  return !cart ? "none" : cart.customer_id === customerId ? "customer" : "foreign"
}

/**
 * What `canMakeStoreRequest` decides on: what the routes said (route-rules.ts),
 * and what the database says about the cart the request acts on and, when
 * the request sets a cart's contact email, the customer's own email.
 */
async function gatherStoreRequestFacts(req: GuardedRequest, impersonation: Impersonation): Promise<StoreRequestFacts> {
  const { facts, session, settings } = impersonation
  if (!facts.cart_id && facts.payment_collection_id) {
    facts.cart_id = await cartOfPaymentCollection(req.scope, facts.payment_collection_id)
  }
  const [customer] =
    facts.cart_email && settings.restricted_actions.includes("change_email")
      ? await req.scope.resolve(Modules.CUSTOMER).listCustomers({ id: session.customer_id }, { select: ["id", "email"] })
      : []
  return {
    method: req.method,
    session,
    settings,
    ends_session: facts.ends_session,
    always_refused: facts.always_refused,
    actions: facts.actions,
    cart_email: facts.cart_email,
    customer_email: customer?.email,
    cart_owner: facts.cart_id ? await cartOwner(req.scope, facts.cart_id, session.customer_id) : null,
    cart_read_only: facts.cart_read_only,
  }
}

/**
 * Decides a store or auth request of an impersonation session with
 * `canMakeStoreRequest`, on the facts its routes gave. A refusal is logged
 * and answered 403. A cart the decision `marks_cart` is marked as the
 * session's before the change (so the order it becomes is
 * attributed even when this very request completes it), and its answer is
 * held until its log line is written. Ending the session is logged by the end itself.
 */
export async function enforceStoreRequestPolicy(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const request = req as GuardedRequest
  const impersonation = request.login_as_customer
  if (!impersonation || impersonation.decided) {
    return next()
  }
  impersonation.decided = true
  const named = impersonation.facts
  const unstorable = [named.cart_id, named.payment_collection_id].find((id) => id && NAMES_NO_ROW.test(id))
  if (unstorable) {
    named.cart_id = named.payment_collection_id = null
  }
  const facts = await gatherStoreRequestFacts(request, impersonation)
  const decision = canMakeStoreRequest(facts)
  if (!decision.allowed) {
    return refuseImpersonatedAction(request, res, decision.code, decision.message, decision.restricted_actions)
  }
  if (unstorable) {
    // Allowed as a request, refused for what it names: on record like any answered change.
    if (isMutating(req.method)) holdAnswerUntilLogged(request, res)
    return next(new MedusaError(MedusaError.Types.INVALID_DATA, "cart_id holds a NUL character (\\u0000): no cart has such an id", "invalid_data"))
  }
  if (!isMutating(req.method) || facts.ends_session) {
    return next()
  }
  const { cart_id } = impersonation.facts
  if (cart_id && decision.marks_cart) {
    await markCart(request, cart_id, impersonation.session)
  }
  holdAnswerUntilLogged(request, res)
  // As its route rule says (place_order): Express matches paths without regard to case.
  if (cart_id && decision.marks_cart && impersonation.facts.actions.includes("place_order")) {
    try {
      // Until this request's own line is written, Medusa's order.placed subscriber waits.
      impersonation.completion_id = await startCartCompletion(request.scope, cart_id, impersonation.session.id)
    } catch (error) {
      // Not run, and on record as answered so: its order's attribution couldn't wait for its line.
      logError(request, `could not note a completion of cart ${cart_id}: ${(error as Error)?.message ?? error}`)
      return res.status(503).json({ type: "unexpected_state", code: "log_unavailable", message: COMPLETION_NOT_NOTED })
    }
  }
  next()
}
