import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"
import type { RecordLogEntryInput } from "../../../modules/login-as-customer/service"

export const recordLogEntryStepId = "record-login-as-customer-log-entry"

/**
 * Appends one log line, filling in the admin's and the customer's emails as
 * they are now, so the line stays readable after either is deleted.
 */
export const recordLogEntryStep = createStep(
  recordLogEntryStepId,
  async (input: RecordLogEntryInput, { container }) => {
    const entry = { ...input }
    if (entry.user_id && entry.user_email === undefined) {
      const [user] = await container
        .resolve(Modules.USER)
        .listUsers({ id: entry.user_id }, { take: 1, select: ["id", "email"] })
      entry.user_email = user?.email ?? null
    }
    if (entry.customer_id && entry.customer_email === undefined) {
      const [customer] = await container
        .resolve(Modules.CUSTOMER)
        .listCustomers({ id: entry.customer_id }, { take: 1, select: ["id", "email"] })
      entry.customer_email = customer?.email ?? null
    }
    const written = await container
      .resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
      .recordLogEntry(entry)
    // The log is append-only: nothing to compensate.
    return new StepResponse({ written })
  }
)
