import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { eraseCustomerFromLogWorkflow } from "../../../../../workflows/log/workflows/erase-customer-from-log"
import { getAdminPermissions } from "../../../../../lib/admin-permissions"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../../modules/login-as-customer/service"
import type { AdminErasableLinesType, AdminEraseCustomerFromLogType } from "./validators"

/**
 * Whether a customer's personal data is still in the log (needs "View the
 * log" or "Manage"): how many lines an erasure would change (0 once erased,
 * until new lines about them are written), and whether this admin may erase.
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminErasableLinesType>, res: MedusaResponse) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const customerId = req.validatedQuery.customer_id as string
  const [erasable, permissions] = await Promise.all([
    service.countErasableLogLines(customerId),
    service.getSettings().then((settings) => getAdminPermissions(req.scope, req.auth_context, settings)),
  ])
  res.json({ customer_id: customerId, erasable_lines: erasable, can_erase: permissions.can_manage })
}

/**
 * Erases a customer's personal data from the log (needs "Manage Login as
 * Customer"): their email becomes a stable pseudonym, reasons and notes about
 * them are removed; the lines, their ids and their chain stay. Logged as
 * `personal_data_erased`. An id that is neither a customer in Medusa nor the
 * customer of a line in the log answers 404 `customer_not_found` and writes
 * nothing; a deleted customer whose lines remain stays erasable.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminEraseCustomerFromLogType>, res: MedusaResponse) => {
  const customerId = req.validatedBody.customer_id
  if (!(await isKnownCustomer(req, customerId))) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Customer with id: ${customerId} was not found, in Medusa or in the log`,
      "customer_not_found"
    )
  }
  const { result } = await eraseCustomerFromLogWorkflow(req.scope).run({
    input: { customer_id: customerId, actor_type: "user", actor_id: req.auth_context.actor_id },
  })
  res.json(result)
}

/** Whether `customerId` is a customer in Medusa, or the customer of any line in the log (a deleted customer's stay). */
async function isKnownCustomer(req: AuthenticatedMedusaRequest, customerId: string): Promise<boolean> {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const [lines, customers] = await Promise.all([
    service.listLoginAsCustomerLogEntries({ customer_id: customerId }, { take: 1, select: ["id"] }),
    req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "customer", fields: ["id"], filters: { id: customerId } }),
  ])
  return lines.length > 0 || customers.data.length > 0
}
