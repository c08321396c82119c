import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { isTransientDbError, withRetry } from "../../lib/retry"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../modules/login-as-customer/service"
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
 * Takes back the record of a cart marked by a request that then failed
 * (answered 400 or worse): a refused change changed nothing, so the order the
 * cart becomes is not the admin's.
 */
async function unmarkCart(req: GuardedRequest, cartId: string, session: SessionState["session"]) {
  await withRetry(
    () =>
      req.scope
        .resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
        .deleteLoginAsCustomerSessionCarts({ cart_id: cartId, session_id: session.id }),
    { retryIf: isTransientDbError }
  )
}

/**
 * Holds the answer to an allowed change until its log line is written:
 * whatever the client sees succeed is on record, even if the process dies
 * right after. A cart the request made is marked as the session's first; a
 * cart marked by a request that failed is taken back.
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
      if (impersonation.marked_cart && status >= 400) {
        await unmarkCart(request, impersonation.marked_cart, impersonation.session)
        impersonation.marked_cart = null
      }
      const created = (responseBody as { cart?: { id?: unknown } } | null)?.cart?.id
      if (impersonation.facts.creates_cart && typeof created === "string" && status < 300) {
        await markCart(request, created, impersonation.session)
      }
      await logStoreAction(request, impersonation, {
        route: typeof route === "string" ? route : path,
        status,
        resource_ids: resourceIds(path, responseBody, impersonation.facts.cart_id),
        outcome: "allowed",
      })
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
