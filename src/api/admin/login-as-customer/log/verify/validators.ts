import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { z } from "@medusajs/framework/zod"

/** A checkpoint's seq: a whole number from 1, as a number or as its digits (bigints are often sent as text). */
const CheckpointSeq = z.unknown().transform((value, ctx) => {
  const seq = typeof value === "string" && /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : value
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `a checkpoint's seq is a whole number from 1 to ${Number.MAX_SAFE_INTEGER} (a number, or its digits as text)` })
    return z.NEVER
  }
  return seq
})

/**
 * A checkpoint kept outside the database, as the `login_as_customer.log_sealed`
 * event and the settings page give it: `{ seq, digest }`.
 */
export const KeptCheckpointBody = z
  .object({
    seq: CheckpointSeq,
    digest: z.string().regex(/^[0-9a-fA-F]{64}$/, "a checkpoint's digest is 64 hexadecimal characters (sha256)"),
  })
  .strict()

/**
 * `full: true` recomputes every line's digest from its fields; without it
 * (quick) only lines rewritten since their insert are recomputed. `anchor`:
 * a checkpoint kept outside the database, which the chain must still hold.
 */
export const AdminVerifyLog = z.object({ full: z.boolean().optional(), anchor: KeptCheckpointBody.optional() }).strict()
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
