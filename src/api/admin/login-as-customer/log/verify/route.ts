import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../../modules/login-as-customer/service"
import { LogLockedError } from "../../../../../modules/login-as-customer/services/log-verify-sql"
import type { AdminVerifyLogType } from "./validators"

/**
 * Recomputes the log's chain of checkpoints and the lines they sealed (needs
 * "View Login as Customer Log"): `{ verified_through, checkpoints, lines,
 * first_mismatch, mode, recomputed_lines, ... }`. Body `{ full: true }`
 * recomputes every line; without it only lines rewritten since their insert.
 * `{ anchor: { seq, digest } }`: a checkpoint kept outside the database,
 * which the chain must still hold (`anchor_mismatch`, `anchor_missing`).
 * Kept as the last verification for the settings page. Another session
 * holding a lock on the log's tables longer than a verification waits
 * (`LOGIN_AS_CUSTOMER_VERIFY_LOCK_TIMEOUT_MS`, 30 s) is answered
 * `503 log_locked`, naming its PostgreSQL pid.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminVerifyLogType>, res: MedusaResponse) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const anchor = req.validatedBody?.anchor
  try {
    res.json(
      await service.verifyLog({
        full: req.validatedBody?.full === true,
        anchor: anchor ? { seq: Number(anchor.seq), digest: anchor.digest } : null,
      })
    )
  } catch (error) {
    if (!(error instanceof LogLockedError)) {
      throw error
    }
    res.status(503).json({ type: "unexpected_state", code: "log_locked", message: error.message })
  }
}
