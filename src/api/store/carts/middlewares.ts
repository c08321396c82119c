import type {
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
  MiddlewareRoute,
} from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { routeMatcher } from "../../../lib/restricted-actions"
import { oneCartCompletionAtATime } from "./completion-lock"

/**
 * The cart metadata key older versions of this plugin used to mark a cart
 * changed in a session. Attribution no longer reads it (the plugin keeps its
 * own record), and store clients may not write it in any form, so nothing
 * that looks like an attribution travels from a cart into an order.
 */
export const RESERVED_CART_METADATA_KEY = "login_as_customer"

/** Refuses a cart body whose `metadata` carries the reserved key (400 invalid_data). */
export function refuseReservedCartMetadata(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  const metadata = (req.body as { metadata?: unknown } | undefined)?.metadata
  if (metadata && typeof metadata === "object" && Object.prototype.hasOwnProperty.call(metadata, RESERVED_CART_METADATA_KEY)) {
    return next(
      new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `metadata.${RESERVED_CART_METADATA_KEY} is reserved for the Login as Customer plugin and can't be written through the store API`,
        "invalid_data"
      )
    )
  }
  next()
}

/**
 * Route-scoped (Express matches them as it routes the request): creating a
 * cart and updating one, the two store routes that write a cart's metadata;
 * and completing one, in every spelling Express routes (oneCartCompletionAtATime).
 */
export const storeCartMiddlewares: MiddlewareRoute[] = [
  { methods: ["POST"], matcher: "/store/carts", middlewares: [refuseReservedCartMetadata] },
  { methods: ["POST"], matcher: "/store/carts/:id", middlewares: [refuseReservedCartMetadata] },
  { methods: ["POST"], matcher: routeMatcher("/store/carts/:id/complete"), middlewares: [oneCartCompletionAtATime] },
]
