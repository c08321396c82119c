import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { z } from "@medusajs/framework/zod"

/**
 * `full: true` recomputes every line's digest from its fields; without it
 * (quick) only lines rewritten since their insert are recomputed.
 */
export const AdminVerifyLog = z.object({ full: z.boolean().optional() }).strict()
export type AdminVerifyLogType = z.infer<typeof AdminVerifyLog>

/** What the verify route's body looks like, for the messages that refuse another. */
export const VERIFY_BODY_EXAMPLE = '{ "full": true }'

/**
 * The verify route reads only its body: `?full=true` would otherwise be
 * ignored and run a quick verification where a full one was asked for.
 */
export function refuseVerifyQuery(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  const names = Object.keys(req.query ?? {})
  if (!names.length) {
    return next()
  }
  next(
    new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Invalid request: this route takes no query parameters (got ${names.join(", ")}); ` +
        `ask for a full verification in the JSON body: ${VERIFY_BODY_EXAMPLE}`,
      "invalid_data"
    )
  )
}
