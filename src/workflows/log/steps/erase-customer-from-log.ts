import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"
import { withRetry } from "../../../lib/retry"
import { LOGIN_AS_CUSTOMER_MODULE } from "../../../modules/login-as-customer"
import type LoginAsCustomerModuleService from "../../../modules/login-as-customer/service"

export const eraseCustomerFromLogStepId = "erase-customer-from-login-as-customer-log"

export type EraseCustomerFromLogStepInput = {
  customer_id: string
  /** `user`: an admin asked; `system`: the customer was deleted. */
  actor_type: "user" | "system"
  actor_id: string | null
}

/**
 * Replaces a customer's personal fields in the log by their pseudonym and
 * writes the `personal_data_erased` line (with the admin's email as it is
 * now), signed with the log's key, in one transaction (nothing to
 * compensate: erasure is final). A retry after a failure that was in fact
 * committed erases nothing more and writes a second record, which verifies.
 */
export const eraseCustomerFromLogStep = createStep(
  eraseCustomerFromLogStepId,
  async (input: EraseCustomerFromLogStepInput, { container }) => {
    const service = container.resolve<LoginAsCustomerModuleService>(LOGIN_AS_CUSTOMER_MODULE)
    const [user] =
      input.actor_type === "user" && input.actor_id
        ? await withRetry(() =>
            container.resolve(Modules.USER).listUsers({ id: input.actor_id! }, { select: ["id", "email"], withDeleted: true })
          )
        : []
    const by = { actor_type: input.actor_type, actor_id: input.actor_id, user_email: user?.email ?? null }
    return new StepResponse(await withRetry(() => service.eraseCustomerFromLog(input.customer_id, by)))
  }
)
