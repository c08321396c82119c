import {
  authenticate,
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
  MiddlewareRoute,
} from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { getImpersonationClaim } from "../../../../../lib/impersonation"
import { validateBody, validateQuery } from "../../../../utils/validation"
import { UpdateRemoteAssistance } from "../../../../utils/validators"
import { StoreGetRemoteAssistance } from "./validators"

/** Consent is the customer's own decision: an impersonating admin can't make it. */
function refuseImpersonation(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  const authContext = (req as MedusaRequest & { auth_context?: Record<string, any> }).auth_context
  if (getImpersonationClaim(authContext)) {
    return next(
      new MedusaError(
        MedusaError.Types.FORBIDDEN,
        "Consent to remote shopping assistance can only be changed by the customer",
        "restricted_while_impersonating"
      )
    )
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
    middlewares: [refuseImpersonation, validateBody(UpdateRemoteAssistance)],
  },
]
