import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { logIntegrity, verifyAndRecord } from "../../../../../modules/login-as-customer/log-integrity"

/**
 * Recomputes the log's chain of checkpoints and the lines they sealed (needs
 * "View Login as Customer Log"): `{ verified_through, checkpoints, lines,
 * first_mismatch, ... }`. Kept as the last verification for the settings page.
 */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { knex, key } = logIntegrity(req.scope)
  const result = await verifyAndRecord(knex, key)
  res.json(result)
}
