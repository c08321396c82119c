import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { eraseCustomerFromLog, logIntegrity } from "../../../modules/login-as-customer/log-integrity"
import { withRetry } from "../../../lib/retry"

export const eraseCustomerFromLogStepId = "erase-customer-from-login-as-customer-log"

/** Replaces a customer's personal fields in the log by their pseudonym (nothing to compensate: erasure is final). */
export const eraseCustomerFromLogStep = createStep(
  eraseCustomerFromLogStepId,
  async (input: { customer_id: string }, { container }) => {
    const { knex } = logIntegrity(container)
    const result = await withRetry(() => eraseCustomerFromLog(knex, input.customer_id))
    return new StepResponse(result)
  }
)
