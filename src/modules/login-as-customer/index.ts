import { Module } from "@medusajs/framework/utils"
import validateOptionsLoader from "./loaders/validate-options"
import LoginAsCustomerModuleService from "./service"

/** The module's container key, used everywhere the module is resolved. */
export const LOGIN_AS_CUSTOMER_MODULE = "loginAsCustomer"

export default Module(LOGIN_AS_CUSTOMER_MODULE, {
  service: LoginAsCustomerModuleService,
  loaders: [validateOptionsLoader],
})

export { LoginAsCustomerModuleService }
