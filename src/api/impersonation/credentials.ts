import { getAuthContextFromJwtToken } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import jwt from "jsonwebtoken"
import { ImpersonationClaim, readImpersonationClaim } from "../../lib/impersonation-claim"
import type { AuthContext, GuardedRequest } from "./types"

/**
 * The identities an /auth request carries, which Medusa doesn't resolve before
 * its routes: the cookie session's and the bearer token's. Both count: Medusa's
 * /auth routes pick one or the other (`POST /auth/session` the bearer,
 * `/auth/token/refresh` the cookie first), so an impersonation in either is one.
 */
export function authRouteContexts(req: GuardedRequest): AuthContext[] {
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
export function expiredImpersonation(req: GuardedRequest): { claim: ImpersonationClaim; context: AuthContext } | null {
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
    const claim = readImpersonationClaim(context)
    const expired = typeof context.exp === "number" && context.exp * 1000 <= Date.now()
    return claim && expired && context.actor_type === "customer" ? { claim, context } : null
  } catch {
    return null
  }
}

/**
 * The impersonation identities a request carries: on /store the one Medusa
 * resolved (or, when Medusa refused the token only for its expiry, that
 * token's), on /auth the cookie's and the bearer's.
 */
export function impersonationIdentities(req: GuardedRequest): Array<{ claim: ImpersonationClaim; context: AuthContext | undefined }> {
  const isAuthRoute = /^\/auth$/i.test(req.baseUrl)
  const identities: Array<{ claim: ImpersonationClaim; context: AuthContext | undefined }> = []
  for (const context of isAuthRoute ? authRouteContexts(req) : [req.auth_context]) {
    const claim = readImpersonationClaim(context)
    if (claim) identities.push({ claim, context })
  }
  if (!identities.length && !isAuthRoute && !req.auth_context && req.headers.authorization) {
    // Only requests whose token Medusa refused are looked at again.
    const expired = expiredImpersonation(req)
    if (expired) identities.push(expired)
  }
  return identities
}
