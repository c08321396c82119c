import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { getAuthContextFromJwtToken } from "@medusajs/framework/http"
import {
  ContainerRegistrationKeys,
  generateEntityId,
  Modules,
} from "@medusajs/framework/utils"
import jwt from "jsonwebtoken"
import { getImpersonationClaim, ImpersonationClaim } from "../../lib/impersonation"
import { emptyRouteFacts, RouteFacts } from "../../lib/restricted-actions"
import { isTransientDbError, withRetry } from "../../lib/retry"
import { verifyImpersonation } from "../../lib/verify-impersonation"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../modules/login-as-customer/service"
import type { SessionState } from "../../modules/login-as-customer/service"
import { LoginAsCustomerEvents, StoreActionEventData } from "../../types"
import { logEntriesForEvent } from "../../workflows/log/event-log"
import { recordLogEntries } from "../../workflows/log/record-log-entries"
import { markCartForSessionWorkflow } from "../../workflows/orders/workflows/mark-cart-for-session"
import { endLoginAsCustomerSessionsWorkflow } from "../../workflows/session/workflows/end-login-as-customer-sessions"
import { routedPath } from "../utils/request-target"

type AuthContext = {
  actor_id?: string
  actor_type?: string
  exp?: number
  act?: { sub?: string }
  app_metadata?: Record<string, unknown>
}

/** A request in a live impersonation session, as the guard and the route rules see it. */
export type Impersonation = {
  session: SessionState["session"]
  settings: SessionState["settings"]
  claim: ImpersonationClaim
  /** The path Express routes the request on (the absolute-form's path included). */
  path: string
  /** What the routes the request reaches say about it (see route-rules.ts). */
  facts: RouteFacts
  /** Set once the route rules have decided the request. */
  decided?: boolean
  /** Set when the request was refused: its answer goes out as it is. */
  refused?: boolean
  /** A cart this very request recorded as the session's; the record is taken back if the request fails. */
  marked_cart?: string | null
}

export type GuardedRequest = MedusaRequest & {
  auth_context?: AuthContext
  session?: { auth_context?: AuthContext; destroy?: (cb: (err?: unknown) => void) => void }
  /** Set for requests in a live impersonation session. */
  login_as_customer?: Impersonation
}

function refuse(res: MedusaResponse, status: number, type: string, code: string, message: string) {
  res.status(status).json({ type, code, message })
}

/**
 * The identities an /auth request carries, which Medusa doesn't resolve before
 * its routes: the cookie session's and the bearer token's. Both count: Medusa's
 * /auth routes pick one or the other (`POST /auth/session` the bearer,
 * `/auth/token/refresh` the cookie first), so an impersonation in either is one.
 */
function authRouteContexts(req: GuardedRequest): AuthContext[] {
  const contexts: AuthContext[] = []
  if (req.session?.auth_context) {
    contexts.push(req.session.auth_context)
  }
  const header = req.headers.authorization
  if (!header || !/^bearer\s/i.test(header)) {
    return contexts
  }
  const { http } = req.scope.resolve(ContainerRegistrationKeys.CONFIG_MODULE).projectConfig
  const bearer = getAuthContextFromJwtToken(
    header,
    http.jwtSecret as string,
    ["bearer"],
    ["customer"],
    http.jwtPublicKey as string | undefined,
    (http.jwtVerifyOptions ?? http.jwtOptions) as never
  ) as AuthContext | null
  if (bearer) {
    contexts.push(bearer)
  }
  return contexts
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

// Medusa ids: a prefix of one or more words (`cart_`, `pay_col_`), then a ULID.
const ID = /^[a-z]+(?:_[a-z]+)*_[0-9A-Z]{20,}$/

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

/** Ids a request touched: in its path, the cart it acts on, and of the objects its response returned. */
function resourceIds(path: string, body: unknown, cartId?: string | null): string[] {
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

function actionBase(impersonation: Impersonation, method: string) {
  return {
    session_id: impersonation.session.id,
    user_id: impersonation.session.user_id,
    customer_id: impersonation.session.customer_id,
    method,
    route: impersonation.path,
    path: impersonation.path,
  }
}

/** Refuses a request of an impersonation session with 403 and the code, logged as refused. */
export async function refuseImpersonatedAction(request: GuardedRequest, res: MedusaResponse, code: string, message: string) {
  const impersonation = request.login_as_customer!
  impersonation.refused = true
  // A refusal changes nothing: it is answered even if its line can't be written.
  await logStoreAction(request, {
    ...actionBase(impersonation, request.method.toUpperCase()),
    status: 403,
    resource_ids: resourceIds(impersonation.path, null, impersonation.facts.cart_id),
    outcome: "refused",
    code,
  }).catch((error: unknown) => logError(request, `could not log a refused action: ${(error as Error).message}`))
  refuse(res, 403, "not_allowed", code, message)
}

/**
 * Holds the answer to an allowed change until its log line is written:
 * whatever the client sees succeed is on record, even if the process dies
 * right after. A cart the request made is marked as the session's first.
 */
export function recordImpersonatedAction(request: GuardedRequest, res: MedusaResponse) {
  const impersonation = request.login_as_customer!
  const method = request.method.toUpperCase()
  const path = impersonation.path
  const base = actionBase(impersonation, method)
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
      await logStoreAction(request, {
        ...base,
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
}

/** The session a request's identity names, verified; 401 (and the session ended) when it may not go on. */
async function verifiedImpersonation(
  request: GuardedRequest,
  claim: ImpersonationClaim,
  authContext: AuthContext | undefined
): Promise<SessionState | null> {
  const { result, state } = await verifyImpersonation(request.scope, {
    claim,
    actor_id: authContext?.actor_type === "customer" ? authContext.actor_id : undefined,
    token_exp: authContext?.exp ?? null,
  })
  if (result.ok && state) {
    return state
  }
  if (!result.ok && result.end_reason && state) {
    await endLoginAsCustomerSessionsWorkflow(request.scope).run({
      input: { filter: { id: state.session.id }, reason: result.end_reason },
    })
  }
  return null
}

/**
 * Guards every store and auth request made in an impersonation session (bearer
 * or cookie; on /auth, either): the session must be alive (see
 * checkImpersonationSession), or the request gets 401. What the request may
 * then do is decided on the routes Express runs for it (route-rules.ts):
 * read-only sessions change nothing, restricted actions are refused, and
 * every mutating request is logged. Requests without an impersonation claim
 * pass straight on.
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
  const identities: Array<{ claim: ImpersonationClaim; context: AuthContext | undefined }> = []
  for (const context of isAuthRoute ? authRouteContexts(request) : [request.auth_context]) {
    const claim = getImpersonationClaim(context)
    if (claim) identities.push({ claim, context })
  }
  if (!identities.length) {
    // Only requests whose token Medusa refused are looked at again.
    const expired =
      !isAuthRoute && !request.auth_context && req.headers.authorization ? expiredImpersonation(request) : null
    if (!expired) {
      return next()
    }
    identities.push(expired)
  }

  let state: SessionState | null = null
  for (const { claim, context } of identities) {
    const verified = await verifiedImpersonation(request, claim, context)
    if (!verified) {
      if (request.session?.auth_context && request.session.destroy && getImpersonationClaim(request.session.auth_context)) {
        await new Promise((resolve) => request.session!.destroy!(resolve))
      }
      return refuse(res, 401, "unauthorized", "impersonation_ended", "This Login as Customer session has ended")
    }
    state = state ?? verified
  }

  request.login_as_customer = {
    session: state!.session,
    settings: state!.settings,
    claim: identities[0].claim,
    path: routedPath(req.originalUrl),
    facts: emptyRouteFacts(),
  }
  if (state!.settings.disable_page_cache) {
    res.setHeader("Cache-Control", "no-store, private")
  }
  next()
}
