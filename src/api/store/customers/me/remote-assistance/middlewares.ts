import {
  authenticate,
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
  MiddlewareRoute,
} from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { readImpersonationClaim } from "../../../../../lib/impersonation-claim"
import { canChangeConsent, deny } from "../../../../../lib/policy"
import { CONSENT_CHANGE_MESSAGES } from "../../../../../workflows/remote-assistance/steps/validate-remote-assistance-update"
import type { GuardedRequest } from "../../../../impersonation/types"
import { validateBody, validateQuery } from "../../../../utils/validation"
import { UpdateRemoteAssistance } from "../../../../utils/schemas"
import { StoreGetRemoteAssistance } from "./validators"

/**
 * A consent change made with an impersonation credential is the admin's, and
 * goes on only as `canChangeConsent` says: the settings' restricted actions
 * (by default, `change_remote_assistance` is one) and the consent mode.
 */
function refuseConsentChangeInSession(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  const request = req as GuardedRequest
  if (!readImpersonationClaim(request.auth_context)) {
    return next()
  }
  const impersonation = request.login_as_customer
  const decision = impersonation
    ? canChangeConsent({
        actor: "user",
        in_session: true,
        allowed: (request.body as { allowed?: unknown } | undefined)?.allowed !== false,
        settings: impersonation.settings,
      })
    : deny("restricted_while_impersonating" as const)
  if (!decision.allowed) {
    return next(new MedusaError(MedusaError.Types.FORBIDDEN, CONSENT_CHANGE_MESSAGES[decision.code], decision.code))
  }
  next()
}

export const storeRemoteAssistanceMiddlewares: MiddlewareRoute[] = [
  {
    methods: ["GET", "POST"],
    matcher: "/store/customers/me/remote-assistance",
    middlewares: [authenticate("customer", ["session", "bearer"])],
  },
  {
    methods: ["GET"],
    matcher: "/store/customers/me/remote-assistance",
    middlewares: [validateQuery(StoreGetRemoteAssistance)],
  },
  {
    methods: ["POST"],
    matcher: "/store/customers/me/remote-assistance",
    middlewares: [refuseConsentChangeInSession, validateBody(UpdateRemoteAssistance)],
  },
]
