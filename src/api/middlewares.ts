import { defineMiddlewares } from "@medusajs/framework/http"
import { authSessionMiddlewares } from "./auth/session/middlewares"
import { adminCustomerLoginAsCustomerMiddlewares } from "./admin/customers/[id]/login-as-customer/middlewares"
import { adminLoginAsCustomerMiddlewares } from "./admin/login-as-customer/middlewares"
import { impersonationMiddlewares } from "./impersonation/middlewares"
import { malformedUrlErrorHandler } from "./utils/error-handler"
import { requestCheckMiddlewares } from "./utils/request-checks"
import { storeCartMiddlewares } from "./store/carts/middlewares"
import { storeRemoteAssistanceMiddlewares } from "./store/customers/me/remote-assistance/middlewares"
import { storeLoginAsCustomerMiddlewares } from "./store/login-as-customer/middlewares"

export default defineMiddlewares({
  errorHandler: malformedUrlErrorHandler,
  routes: [
    ...impersonationMiddlewares,
    ...authSessionMiddlewares,
    ...requestCheckMiddlewares,
    ...adminLoginAsCustomerMiddlewares,
    ...adminCustomerLoginAsCustomerMiddlewares,
    ...storeRemoteAssistanceMiddlewares,
    ...storeLoginAsCustomerMiddlewares,
    ...storeCartMiddlewares,
  ],
})
