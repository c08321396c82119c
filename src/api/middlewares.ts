import { defineMiddlewares } from "@medusajs/framework/http"
import { adminCustomerLoginAsCustomerMiddlewares } from "./admin/customers/[id]/login-as-customer/middlewares"
import { adminLoginAsCustomerMiddlewares } from "./admin/login-as-customer/middlewares"
import { impersonationMiddlewares } from "./impersonation/middlewares"
import { storeRemoteAssistanceMiddlewares } from "./store/customers/me/remote-assistance/middlewares"
import { storeLoginAsCustomerMiddlewares } from "./store/login-as-customer/middlewares"

export default defineMiddlewares({
  routes: [
    ...impersonationMiddlewares,
    ...adminLoginAsCustomerMiddlewares,
    ...adminCustomerLoginAsCustomerMiddlewares,
    ...storeRemoteAssistanceMiddlewares,
    ...storeLoginAsCustomerMiddlewares,
  ],
})
