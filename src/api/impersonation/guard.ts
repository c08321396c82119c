import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { getAuthContextFromJwtToken } from "@medusajs/framework/http"
import {
  ContainerRegistrationKeys,
  generateEntityId,
  Modules,
} from "@medusajs/framework/utils"
import jwt from "jsonwebtoken"
import { getImpersonationClaim, ImpersonationClaim } from "../../lib/impersonation"
import { cartOf, isForeignCart, isMutating, matchRestrictedActions, normalizePath } from "../../lib/restricted-actions"
import { verifyImpersonation } from "../../lib/verify-impersonation"
import type { SessionState } from "../../modules/login-as-customer/service"
import { LoginAsCustomerEvents, StoreActionEventData } from "../../types"
import { logEntriesForEvent } from "../../workflows/log/event-log"
import { recordLogEntries } from "../../workflows/log/record-log-entries"
import { markCartForSessionWorkflow } from "../../workflows/orders/workflows/mark-cart-for-session"
import { endLoginAsCustomerSessionsWorkflow } from "../../workflows/session/workflows/end-login-as-customer-sessions"

type AuthContext = {
  actor_id?: string
  actor_type?: string
  exp?: number
  act?: { sub?: string }
  app_metadata?: Record<string, unknown>
}

type GuardedRequest = MedusaRequest & {
  auth_context?: AuthContext
  session?: { auth_context?: AuthContext; destroy?: (cb: (err?: unknown) => void) => void }
  /** Set for requests in a live impersonation session. */
  login_as_customer?: { session: SessionState["session"]; claim: ImpersonationClaim }
}

/** Requests no impersonation session may make: they would outlive or escape its checks, or bring in what isn't the customer's. */
const ALWAYS_REFUSED = [
  /^\/auth\/session$/i,
  /^\/auth\/token\/refresh$/i,
  // Transferring a cart to the customer: a guest cart of whoever used the
  // browser before must never merge into the customer's account.
  /^\/store\/carts\/[^/]+\/customer$/i,
]
/** Ending the session must work in every mode. */
const END_SESSION = /^\/store\/login-as-customer\/session$/i

function refuse(res: MedusaResponse, status: number, type: string, code: string, message: string) {
  res.status(status).json({ type, code, message })
}

/** The identity of an /auth request, which Medusa doesn't resolve before its routes. */
function authRouteContext(req: GuardedRequest): AuthContext | undefined {
  if (req.session?.auth_context) {
    return req.session.auth_context
  }
  const header = req.headers.authorization
  if (!header || !/^bearer\s/i.test(header)) {
    return undefined
  }
  const { http } = req.scope.resolve(ContainerRegistrationKeys.CONFIG_MODULE).projectConfig
  return (
    (getAuthContextFromJwtToken(
      header,
      http.jwtSecret as string,
      ["bearer"],
      ["customer"],
      http.jwtPublicKey as string | undefined,
      (http.jwtVerifyOptions ?? http.jwtOptions) as never
    ) as AuthContext | null) ?? undefined
  )
}

/**
 * An impersonation token Medusa turned away only because it expired: its
 * signature is checked (expiry aside), so its claim can be trusted to end
 * the session it names and to answer with the right code.
 */
function expiredImpersonation(req: GuardedRequest): { claim: ImpersonationClaim; context: AuthContext } | null {
  const match = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")
  if (!match) {
    return null
  }
  const { http } = req.scope.resolve(ContainerRegistrationKeys.CONFIG_MODULE).projectConfig
  const options = { ...((http.jwtVerifyOptions ?? http.jwtOptions ?? {}) as Record<string, unknown>) }
  if (!options.algorithms && options.algorithm) {
    options.algorithms = [options.algorithm]
    delete options.algorithm
  }
  delete options.expiresIn
  try {
    const context = jwt.verify(match[1], (http.jwtPublicKey ?? http.jwtSecret) as string, {
      ...options,
      ignoreExpiration: true,
    }) as AuthContext
    const claim = getImpersonationClaim(context)
    const expired = typeof context.exp === "number" && context.exp * 1000 <= Date.now()
    return claim && expired && context.actor_type === "customer" ? { claim, context } : null
  } catch {
    return null
  }
}

/**
 * Writes a store action's log line (retried for a while if the database is
 * unreachable), then emits `login_as_customer.store_action` for anyone else
 * who listens.
 */
async function logStoreAction(req: GuardedRequest, data: Omit<StoreActionEventData, "event_id">) {
  const event: StoreActionEventData = { event_id: generateEntityId(undefined, "lacev"), ...data }
  await recordLogEntries(req.scope, logEntriesForEvent(LoginAsCustomerEvents.STORE_ACTION, event))
  req.scope
    .resolve(Modules.EVENT_BUS)
    .emit({ name: LoginAsCustomerEvents.STORE_ACTION, data: event })
    .catch((error: unknown) => logError(req, `could not emit a store action: ${(error as Error).message}`))
}

function logError(req: GuardedRequest, message: string) {
  req.scope.resolve(ContainerRegistrationKeys.LOGGER).error(`Login as Customer: ${message}`)
}

/** The answer sent instead of a success that could not be put on record. */
const NOT_RECORDED = JSON.stringify({
  type: "unexpected_state",
  code: "log_unavailable",
  message:
    "The action could not be recorded in the Login as Customer log, so it is not confirmed. It may have been applied: check before trying again.",
})

const ID = /^[a-z]+_[0-9A-Z]{20,}$/
const CREATE_CART = /^\/store\/carts$/i

async function markCart(req: GuardedRequest, cartId: string, session: SessionState["session"]) {
  await markCartForSessionWorkflow(req.scope).run({
    input: { cart_id: cartId, session_id: session.id, user_id: session.user_id },
  })
}

/** Ids a request touched: in its path, and of the objects its response returned. */
function resourceIds(path: string, body: unknown): string[] {
  const ids = new Set(path.split("/").filter((segment) => ID.test(segment)))
  if (body && typeof body === "object") {
    for (const value of Object.values(body as Record<string, unknown>)) {
      const id = (value as { id?: unknown } | null)?.id
      if (typeof id === "string" && ID.test(id)) ids.add(id)
    }
  }
  return Array.from(ids)
}

/**
 * Guards every store and auth request made in an impersonation session (bearer
 * or cookie): the session must be alive (see checkImpersonationSession), read-only
 * sessions change nothing, restricted actions are refused, and every mutating
 * request is logged. Requests without an impersonation claim pass straight on.
 */
export async function impersonationGuard(
  req: MedusaRequest,
  res: MedusaResponse,
  next: MedusaNextFunction
) {
  const request = req as GuardedRequest
  // Mounted on /store and /auth; Medusa has resolved the identity of /store
  // requests already, /auth ones are read here.
  const isAuthRoute = /^\/auth$/i.test(req.baseUrl)
  let authContext = isAuthRoute ? authRouteContext(request) : request.auth_context
  let claim = getImpersonationClaim(authContext)
  if (!claim) {
    // Only requests whose token Medusa refused are looked at again.
    const expired = !isAuthRoute && !authContext && req.headers.authorization ? expiredImpersonation(request) : null
    if (!expired) {
      return next()
    }
    ;({ claim, context: authContext } = expired)
  }
  const path = normalizePath(req.originalUrl)

  const { result, state } = await verifyImpersonation(req.scope, {
    claim,
    actor_id: authContext?.actor_type === "customer" ? authContext.actor_id : undefined,
    token_exp: authContext?.exp ?? null,
  })
  if (!result.ok || !state) {
    if (!result.ok && result.end_reason && state) {
      await endLoginAsCustomerSessionsWorkflow(req.scope).run({
        input: { filter: { id: state.session.id }, reason: result.end_reason },
      })
    }
    if (request.session?.auth_context && request.session.destroy) {
      await new Promise((resolve) => request.session!.destroy!(resolve))
    }
    return refuse(res, 401, "unauthorized", "impersonation_ended", "This Login as Customer session has ended")
  }

  request.login_as_customer = { session: state.session, claim }
  if (state.settings.disable_page_cache) {
    res.setHeader("Cache-Control", "no-store, private")
  }

  const method = req.method.toUpperCase()
  if (!isMutating(method) || END_SESSION.test(path)) {
    return next()
  }

  const base = {
    session_id: state.session.id,
    user_id: state.session.user_id,
    customer_id: state.session.customer_id,
    method,
    route: path,
    path,
  }
  const refuseAction = async (code: string, message: string) => {
    // A refusal changes nothing: it is answered even if its line can't be written.
    await logStoreAction(request, {
      ...base,
      status: 403,
      resource_ids: resourceIds(path, null),
      outcome: "refused",
      code,
    }).catch((error: unknown) => logError(request, `could not log a refused action: ${(error as Error).message}`))
    refuse(res, 403, "not_allowed", code, message)
  }

  if (state.session.mode === "read_only") {
    return refuseAction("read_only_session", "This Login as Customer session is read-only")
  }
  if (ALWAYS_REFUSED.some((pattern) => pattern.test(path))) {
    return refuseAction("restricted_while_impersonating", "Not allowed while logged in as a customer")
  }
  const restricted = matchRestrictedActions(method, path, req.body).filter((action) =>
    state.settings.restricted_actions.includes(action)
  )
  if (restricted.length) {
    return refuseAction(
      "restricted_while_impersonating",
      `Not allowed while logged in as a customer: ${restricted.join(", ")}`
    )
  }

  // Only the customer's own carts: a guest cart left in the browser (or any
  // other) would be merged into the account or marked as the session's.
  const cartId = cartOf(path)
  if (cartId && (await isForeignCart(req.scope, cartId, state.session.customer_id))) {
    return refuseAction(
      "restricted_while_impersonating",
      "Not allowed while logged in as a customer: the cart is not the customer's"
    )
  }

  // A cart changed in the session is marked before the change, so the order
  // it becomes is attributed even when this very request completes it.
  if (cartId) {
    await markCart(request, cartId, state.session)
  }

  // The answer is held until its log line is written: whatever the client
  // sees succeed is on record, even if the process dies right after.
  let responseBody: unknown = null
  const json = res.json.bind(res)
  res.json = ((body: unknown) => {
    responseBody = body
    return json(body)
  }) as typeof res.json
  const end = res.end.bind(res) as (...args: unknown[]) => MedusaResponse
  let held = false
  res.end = ((...args: unknown[]) => {
    if (held || res.headersSent) {
      return end(...args)
    }
    held = true
    const route = (req as MedusaRequest & { route?: { path?: string } }).route?.path
    const status = res.statusCode
    const record = async () => {
      const created = (responseBody as { cart?: { id?: unknown } } | null)?.cart?.id
      if (CREATE_CART.test(path) && typeof created === "string" && status < 300) {
        await markCart(request, created, state.session)
      }
      await logStoreAction(request, {
        ...base,
        route: typeof route === "string" ? route : path,
        status,
        resource_ids: resourceIds(path, responseBody),
        outcome: "allowed",
      })
    }
    record().then(
      () => {
        if (!res.writableEnded) end(...args)
      },
      (error: unknown) => {
        logError(request, `could not log ${method} ${path}: ${(error as Error).message}`)
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
  next()
}
