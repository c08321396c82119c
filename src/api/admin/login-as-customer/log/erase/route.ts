import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { eraseCustomerFromLogWorkflow } from "../../../../../workflows/log/workflows/erase-customer-from-log"
import type { AdminEraseCustomerFromLogType } from "./validators"

/**
 * Erases a customer's personal data from the log (needs "Manage Login as
 * Customer"): their email becomes a stable pseudonym, reasons and notes about
 * them are removed; the lines, their ids and their chain stay. Logged as
 * `personal_data_erased`.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminEraseCustomerFromLogType>, res: MedusaResponse) => {
  const { result } = await eraseCustomerFromLogWorkflow(req.scope).run({
    input: { customer_id: req.validatedBody.customer_id, actor_type: "user", actor_id: req.auth_context.actor_id },
  })
  res.json(result)
}
