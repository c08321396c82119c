import { authenticate, MiddlewareRoute } from "@medusajs/framework/http"
import { exchangeRateLimit } from "../../utils/rate-limit"
import { refuseUnsafeBody, validateBody } from "../../utils/validation"
import { StoreExchangeTicket } from "./validators"

export const storeLoginAsCustomerMiddlewares: MiddlewareRoute[] = [
  {
    methods: ["POST"],
    matcher: "/store/login-as-customer/sessions",
    middlewares: [exchangeRateLimit, validateBody(StoreExchangeTicket)],
  },
  {
    methods: ["GET", "DELETE"],
    matcher: "/store/login-as-customer/session",
    middlewares: [authenticate("customer", ["session", "bearer"]), refuseUnsafeBody],
  },
]
