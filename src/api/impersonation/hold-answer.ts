import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { attributePlacedOrder } from "../../lib/attribute-placed-order"
import { awaitCartCompletion, endCartCompletion, orderOfCart } from "../../lib/cart-completion"
import type { SessionState } from "../../modules/login-as-customer/service"
import { markCartForSessionWorkflow } from "../../workflows/orders/workflows/mark-cart-for-session"
import { logError, logStoreAction, resourceIds } from "./store-action-log"
import type { GuardedRequest } from "./types"

/** The answer sent instead of a success that could not be put on record. */
const NOT_RECORDED = JSON.stringify({
  type: "unexpected_state",
  code: "log_unavailable",
  message:
    "The action could not be recorded in the Login as Customer log, so it is not confirmed. It may have been applied: check before trying again.",
})

/**
 * Marks a cart as changed in the session (the record its order is attributed
 * from). Returns whether this call wrote the record.
 */
export async function markCart(req: GuardedRequest, cartId: string, session: SessionState["session"]): Promise<boolean> {
  const { result } = await markCartForSessionWorkflow(req.scope).run({
    input: { cart_id: cartId, session_id: session.id, user_id: session.user_id },
  })
  return result === true
}

/**
 * The order a successful completion of the cart placed (`POST
 * /store/carts/:id/complete` answers `{ type: "order", order }`), if any.
 */
function placedOrderId(route: string | undefined, status: number, body: unknown): string | null {
  if (route !== "/store/carts/:id/complete" || status >= 300) {
    return null
  }
  const answer = body as { type?: unknown; order?: { id?: unknown } } | null
  return answer?.type === "order" && typeof answer.order?.id === "string" ? answer.order.id : null
}

/**
 * Attributes the order a completion in the session was answered with, or
 * else the order its cart became meanwhile (another completion created it
 * while this one waited: the completion answered 400 or 409), once the
 * completion's own line is in the log: Medusa's `order.placed` subscriber
 * runs before the line is written (an order whose completion was the
 * session's only action on the cart found no action of it there), and
 * leaves the order to this request when the line is held up past its wait.
 * The order another completion made is decided once the other sessions'
 * completions of the cart have their lines (awaitCartCompletion).
 * A failure doesn't change the answer (the order is placed): the server's
 * log says so.
 */
async function attributeCompletion(req: GuardedRequest, placed: string | null, cartId: string | null) {
  let orderId = placed
  try {
    if (!orderId && cartId) {
      orderId = await orderOfCart(req.scope, cartId)
      // Another completion made it: decide once its line is in, as the subscriber does (one still running decides itself).
      if (orderId && !(await awaitCartCompletion(req.scope, cartId))) return
    }
    if (orderId) await attributePlacedOrder(req.scope, orderId)
  } catch (error) {
    logError(req, `order ${orderId ?? `of cart ${cartId}`} could not be attributed and logged: ${(error as Error)?.message ?? error}`)
  }
}

/**
 * Holds the answer to an allowed change until its log line is written:
 * whatever the client sees succeed is on record, even if the process dies
 * right after. A cart the request made is marked as the session's first; an
 * order its completion placed is attributed. A cart marked by a request
 * that then failed keeps its record: a record counts only beside a line of
 * a change the store made (cartActs). Taking it back deleted the
 * record a change beside it had found there and relied on: a failing
 * request sent just before each change left a cart changed in the session
 * unrecorded.
 */
export function holdAnswerUntilLogged(request: GuardedRequest, res: MedusaResponse) {
  const impersonation = request.login_as_customer!
  const path = impersonation.path
  let responseBody: unknown = null
  const json = res.json.bind(res)
  res.json = ((body: unknown) => {
    responseBody = body
    return json(body)
  }) as typeof res.json
  const end = res.end.bind(res) as (...args: unknown[]) => MedusaResponse
  let held = false
  res.end = ((...args: unknown[]) => {
    if (held || res.headersSent || impersonation.refused) {
      return end(...args)
    }
    held = true
    const route = (request as MedusaRequest & { route?: { path?: string } }).route?.path
    const status = res.statusCode
    const record = async () => {
      const created = (responseBody as { cart?: { id?: unknown } } | null)?.cart?.id
      if (impersonation.facts.creates_cart && typeof created === "string" && status < 300) {
        await markCart(request, created, impersonation.session)
      }
      const placed = placedOrderId(route, status, responseBody)
      try {
        await logStoreAction(request, impersonation, {
          route: typeof route === "string" ? route : path,
          status,
          resource_ids: resourceIds(path, responseBody, impersonation.facts.cart_id),
          outcome: "allowed",
          // A completion answered with an order: which, and whether it created it (not when the cart had
          // become an order before this completion's turn came: completion-lock.ts). Attribution reads both.
          ...(placed ? { order_id: placed, order_created: !impersonation.cart_had_order } : {}),
        })
      } finally {
        // A completion's line is written (or couldn't be): the order.placed subscriber decides now.
        // One not ended is waited on 10 s at most: its failure doesn't change the answer.
        if (impersonation.completion_id) {
          await endCartCompletion(request.scope, impersonation.completion_id).catch((error: unknown) =>
            logError(request, `could not end the note of a cart's completion: ${(error as Error)?.message ?? error}`)
          )
        }
      }
      if (placed || impersonation.completion_id) {
        await attributeCompletion(request, placed, impersonation.facts.cart_id)
      }
    }
    record().then(
      () => {
        if (!res.writableEnded) end(...args)
      },
      (error: unknown) => {
        logError(request, `could not log ${request.method.toUpperCase()} ${path}: ${(error as Error).message}`)
        if (res.writableEnded) {
          return
        }
        if (status >= 400 || res.headersSent) {
          return end(...args)
        }
        res.statusCode = 503
        res.removeHeader("ETag")
        res.setHeader("Content-Type", "application/json; charset=utf-8")
        res.setHeader("Content-Length", Buffer.byteLength(NOT_RECORDED))
        end(NOT_RECORDED)
      }
    )
    return res
  }) as typeof res.end
}
