import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { withRetry } from "../../../lib/retry"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"

export const eraseCustomerFromLogStepId = "erase-customer-from-login-as-customer-log"

/** Replaces a customer's personal fields in the log by their pseudonym (nothing to compensate: erasure is final). */
export const eraseCustomerFromLogStep = createStep(
  eraseCustomerFromLogStepId,
  async (input: { customer_id: string }, { container }) => {
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    return new StepResponse(await withRetry(() => service.eraseCustomerFromLog(input.customer_id)))
  }
)
