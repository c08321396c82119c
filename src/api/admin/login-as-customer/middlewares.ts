import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateBody, validateQuery } from "../../utils/validation"
import { defaultLogEntryFields } from "./query-config"
import { AdminListLog, AdminUpdateSettings } from "./validators"

export const adminLoginAsCustomerMiddlewares: MiddlewareRoute[] = [
  {
    methods: ["POST"],
    matcher: "/admin/login-as-customer/settings",
    middlewares: [validateBody(AdminUpdateSettings)],
  },
  {
    methods: ["GET"],
    matcher: "/admin/login-as-customer/log",
    middlewares: [validateQuery(AdminListLog, defaultLogEntryFields)],
  },
]
