import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { Modules } from "@medusajs/framework/utils"
import { isRbacEnabled } from "../../../../lib/admin-permissions"
import { grantsApply } from "../../../../lib/policy"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../../modules/login-as-customer/service"

/**
 * Every admin with what they may do when RBAC is off (no grant row reads as
 * no permission). `applies` says whether grants decide at all right now.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const service = req.scope.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
  const [users, grants, settings] = await Promise.all([
    req.scope
      .resolve(Modules.USER)
      .listUsers({}, { select: ["id", "email", "first_name", "last_name"], order: { email: "ASC" } }),
    service.listLoginAsCustomerAdminGrants({}),
    service.getSettings(),
  ])
  const byUser = new Map(grants.map((grant) => [grant.user_id, grant]))
  res.json({
    rbac: isRbacEnabled(),
    access: settings.access,
    applies: grantsApply({ rbac_enabled: isRbacEnabled(), access: settings.access }),
    grants: users.map((user) => ({
      user_id: user.id,
      email: user.email,
      first_name: user.first_name ?? null,
      last_name: user.last_name ?? null,
      can_login: byUser.get(user.id)?.can_login === true,
      can_view_log: byUser.get(user.id)?.can_view_log === true,
    })),
  })
}
