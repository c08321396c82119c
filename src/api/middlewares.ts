import { defineMiddlewares } from "@medusajs/framework/http"
import { adminCustomerLoginAsCustomerMiddlewares } from "./admin/customers/[id]/login-as-customer/middlewares"
import { adminLoginAsCustomerMiddlewares } from "./admin/login-as-customer/middlewares"
import { storeRemoteAssistanceMiddlewares } from "./store/customers/me/remote-assistance/middlewares"

export default defineMiddlewares({
  routes: [
    ...adminLoginAsCustomerMiddlewares,
    ...adminCustomerLoginAsCustomerMiddlewares,
    ...storeRemoteAssistanceMiddlewares,
  ],
})
