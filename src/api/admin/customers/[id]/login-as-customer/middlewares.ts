import type { MiddlewareRoute } from "@medusajs/framework/http"
import { LOGIN_POLICY } from "../../../../../lib/admin-permissions"
import { denyLoginUnlessPermitted } from "../../../../utils/login-denied"
import { policyCheckpoint } from "../../../../utils/require-permission"
import { validateBody } from "../../../../utils/validation"
import { UpdateRemoteAssistance } from "../../../../utils/schemas"
import { AdminStartLoginAsCustomer } from "./validators"

export const adminCustomerLoginAsCustomerMiddlewares: MiddlewareRoute[] = [
  {
    methods: ["POST"],
    matcher: "/admin/customers/:id/login-as-customer",
    middlewares: [validateBody(AdminStartLoginAsCustomer), denyLoginUnlessPermitted],
  },
  // The permission is checked (and a refusal logged as `login_denied`) above;
  // with RBAC on, Medusa checks the declared policy after it.
  {
    methods: ["POST"],
    matcher: "/admin/customers/:id/login-as-customer",
    policies: [LOGIN_POLICY],
    middlewares: [policyCheckpoint],
  },
  {
    methods: ["POST"],
    matcher: "/admin/customers/:id/login-as-customer/remote-assistance",
    policies: [{ resource: "customer", operation: "update" }],
    middlewares: [validateBody(UpdateRemoteAssistance)],
  },
]
