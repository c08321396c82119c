import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateBody } from "../../../../utils/validation"
import { UpdateRemoteAssistance } from "../../../../utils/validators"

export const adminCustomerLoginAsCustomerMiddlewares: MiddlewareRoute[] = [
  {
    methods: ["POST"],
    matcher: "/admin/customers/:id/login-as-customer/remote-assistance",
    middlewares: [validateBody(UpdateRemoteAssistance)],
  },
]
